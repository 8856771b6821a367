package knowledge

// rootsLoans are loans common in public services and everyday questions, kept whole
// so that the rules do not strip them ("disiplin" is not di-siplin, "teknologi" is
// not teknolog-i), and common abbreviations.
const rootsLoans = `
aplikasi registrasi verifikasi validasi konfirmasi legalisasi legalisir autentikasi
otentikasi identifikasi klarifikasi notifikasi sosialisasi digitalisasi integrasi
migrasi aktivasi deaktivasi reaktivasi modifikasi kualifikasi sertifikasi
akreditasi rekomendasi dispensasi kompensasi kontribusi distribusi administrasi
organisasi informasi komunikasi edukasi publikasi dokumentasi presentasi
konsultasi koordinasi kolaborasi partisipasi regulasi legislasi evaluasi situasi
kondisi posisi komposisi transaksi produksi konstruksi instruksi investasi
operasi inovasi motivasi observasi donasi rehabilitasi relokasi lokasi reservasi
formulir fotokopi elektronik digital internet website web email surel data status
proses sistem dokumen sertifikat paspor berkas arsip prosedur mekanisme kriteria
kategori persentase persen target tarif kuota jadwal agenda kalender fasilitas
sarana prasarana infrastruktur teknologi teknis teknik komputer laptop printer
server wifi modem router password akun login logout username profil
menu fitur opsi tombol ikon layar aplikasi versi update unduh unggah
upload download install instal scan kamera video audio file folder format
online offline daring luring virtual email inbox spam link tautan barcode kode
qris ovo gopay dana linkaja shopeepay bca bri bni mandiri btn bsi atm teller
transfer debit kredit tunai nontunai saldo rekening nasabah bank cabang
kantor loket konter counter resepsionis customer service call center
hotline whatsapp telegram instagram facebook twitter tiktok youtube google
android iphone ios playstore appstore
polis premi klaim asuransi bpjs pensiun dana kredit
kontrak tender proyek anggaran realisasi audit inspeksi survei sensus
statistik indeks kuesioner formulir blanko blangko stiker brosur spanduk baliho
pamflet banner poster
dokter bidan apoteker farmasi vaksin vaksinasi imunisasi rontgen usg
laboratorium lab sampel tes swab antigen pcr covid virus bakteri infeksi diagnosis
diagnosa terapi operasi klinik rumah sakit poli poliklinik oksigen
tensi infus injeksi suntik resep obat vitamin suplemen gizi nutrisi stunting
kalori protein karbohidrat diabetes hipertensi kolesterol kanker tumor stroke
asma tbc hiv aids demam malaria diare disentri hepatitis rabies
psikolog psikiater konseling mental stres depresi trauma
sekolah universitas institut politeknik akademi fakultas jurusan program studi
semester sks skripsi tesis disertasi wisuda alumni mahasiswa dosen rektor dekan
kurikulum silabus modul materi tes nilai ranking rapor ijazah transkrip
sertifikat beasiswa afirmasi zonasi prestasi olimpiade ekstrakurikuler
pramuka osis tk paud sd smp sma smk slb mi mts ma sltp slta
ekonomi bisnis industri koperasi investasi investor modal usaha
pasar produk jasa ekspor impor distributor agen reseller grosir
harga diskon promo voucher kupon cashback ongkir kurir paket resi
hukum pidana perdata kasus banding kasasi vonis denda sanksi saksi korban
advokat notaris jaksa hakim polisi polri tni satpol intel detektif
kriminal narkoba narkotika korupsi pungli gratifikasi suap hoaks hoax
lingkungan polusi limbah sampah organik anorganik plastik daur ulang kompos
banjir longsor gempa tsunami erupsi evakuasi
elpiji lpg bbm pertalite pertamax solar bensin listrik token kwh pdam
ac kulkas televisi tv radio
motor mobil bus truk taksi ojek angkot kereta krl mrt lrt transjakarta pesawat
kapal feri bandara terminal stasiun halte parkir tol garasi bengkel oli aki
servis service sparepart ban velg helm spion lampu sein
ktp ektp kk kia nik nkk sim skck stnk bpkb npwp bpjs jkn kis kip pip pkh bpnt blt
dtks sktm nib oss siup tdp pbb njop sppt bphtb imb pbg slf umkm ukm pdam pln pju
kdrt phk umr ump umk jht jkk jkm jp pirt bpom shm hgb hgu ajb ppat bpn mpp ptsp
dpmptsp asn pns pppk cpns ppdb lpg wna wni spt efin djp samsat kua kpu bawaslu
dprd dpr mpr ojk bi lps bumn bumd rsud rsup faskes fktp fkrtl igd ugd icu nicu
dukcapil disdukcapil capil dinsos dinkes disdik disnaker dishub satpol damkar
bpbd kemenag kemensos kemenkes kemendagri kemenkeu kemendikbud kemnaker
kemenkumham polsek polres polda polresta polrestabes mabes kodim koramil
babinsa bhabinkamtibmas kamtibmas siskamling linmas pkk karang taruna dasawisma
rt rw kades kadus sekdes sekda pemkot pemkab pemprov pemda
lapor lapor kominfo diskominfo bappeda bapenda bpkad inspektorat
covid corona ecer jaring lingkung cat cek bom tes rem pel sol cor lem bor
`
