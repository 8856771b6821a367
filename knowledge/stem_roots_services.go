package knowledge

// rootsServices is the vocabulary of public services: civil registration, identity
// documents, permits, taxes, vehicles, land, health, education, social aid, police,
// public works. Roots only: "daftar" for "pendaftaran", "rekam" for "perekaman".
const rootsServices = `
urus daftar ganti rekam cetak catat lapor aju izin syarat biaya bayar pajak denda
tunggak mutasi balik nama milik pindah datang lahir mati tinggal nikah kawin cerai
akta kartu keluarga tanda duduk kendara motor mobil rumah bangun usaha kerja sehat
sakit obat rawat didik sekolah ajar kuliah bantu sosial miskin tanah air listrik
sampah jalan lampu rusak hilang curi copet polisi saksi kantor loket antre jadwal
jam buka tutup libur online offline aplikasi surat terang antar pengantar domisili
alamat nomor identitas induk sipil status agama darah foto tangan sidik jari
iris mata paraf stempel cap meterai materai legalisir salin fotokopi asli berkas
dokumen formulir blangko blanko map lampir kirim unggah unduh pindai cetak
verifikasi validasi konfirmasi registrasi aktivasi kode sandi akun email surel
situs laman portal tautan klik tombol menu layar ponsel telepon pesan notifikasi
warga negara kota kabupaten provinsi desa dusun kampung lurah camat bupati walikota
wali gubernur presiden menteri dinas badan instansi lembaga pemerintah daerah
wilayah pusat cabang unit bagian seksi bidang kepala anggota
pisah gabung tambah kurang ubah koreksi baik salah tulis eja angkat adopsi sah
resmi wajib hak tugas pegawai staf operator admin layan
loket nomor urut panggil tunggu pagi siang sore malam hari minggu
bulan tahun tanggal waktu lama cepat lambat segera hari kerja senin selasa rabu
kamis jumat sabtu istirahat cuti tanggal merah nasional
`

// rootsServicesMore continues rootsServices.
const rootsServicesMore = `
puskesmas klinik dokter bidan apotek resep vaksin imunisasi posyandu gizi stunting
hamil bayi balita ibu anak lansia disabilitas cacat rujuk darurat inap
opname operasi periksa kontrol iur premi tanggung kelas peserta aktif nonaktif
blokir faskes pasien demam batuk pilek diare luka gigi jantung paru ginjal
kanker diabetes tensi kolesterol narkoba rehabilitasi psikolog konseling
murid siswa mahasiswa guru dosen kampus beasiswa zonasi afirmasi prestasi rapor
ijazah nilai lulus ulang seragam buku kursus latih sertifikat akreditasi kurikulum
uji tes kelas semester jurusan fakultas universitas madrasah pesantren
miskin mampu yatim piatu panti janda duda difabel lansia terlantar
jompo sembako beras bansos subsidi tunai
usaha toko warung dagang jual beli halal ekspor impor pabrik industri gudang
tenaga lowong lamar gaji upah pesangon klaim cair saldo modal pinjam kredit cicil
angsur bunga agunan koperasi pasar kios lapak izin lokasi
pajak wajib kena lunas diskon potong pungut setor kas bank transfer virtual
rekening tagih struk bukti kuitansi tarif retribusi restitusi
plat pelat tilang emisi truk bus angkot ojek sopir supir kemudi parkir
bengkel helm tol terminal stasiun bandara kereta pesawat kapal tiket
sertifikat girik waris hibah sewa kontrak notaris ukur batas patok kavling lahan
sawah kebun hutan pantai sungai danau gunung laut pulau
polisi lapor aduan adu korban pelaku sangka hukum adil
pengacara advokat sidang gugat banding vonis penjara rampok begal tipu
aniaya ancam culik hilang cari temu bukti saksi visum
lubang lampu pipa bocor token gas elpiji sampah angkut buang banjir genang
got selokan drainase gorong pohon tumbang tebang taman trotoar jembatan
macet rambu lalu lintas api padam bencana gempa longsor evakuasi
posko relawan donasi sumbang zakat infak sedekah wakaf
paspor visa imigrasi kitas kitap migran tki haji umrah kua rujuk talak nafkah
asuh wali hadanah waris ahli akta cerai
warganegara dukcapil disdukcapil capil dinsos dinkes
disdik disnaker dishub satpol damkar bpbd kemenag kemensos kemenkes polri polsek
polres polda polresta ktp kia nik sim skck stnk bpkb npwp bpjs jkn kis pkh bpnt blt
dtks sktm nib oss pbb njop sppt bphtb imb pbg slf umkm ukm pdam pln pju tps tpa
kdrt phk umr ump umk jht pirt bpom shm hgb ajb ppat bpn mpp ptsp dpmptsp asn pns
pppk cpns honorer ppdb pip kip lpg wna wni spt efin djp samsat ektp kartu
skpwni nkk siup tdp lkpm amdal ukl upl pkwt
golong jabat santun meter telantar ungsi gelandang padam bakar labuh
`
