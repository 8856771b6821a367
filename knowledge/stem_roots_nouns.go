package knowledge

// rootsNouns are common noun roots: people, body, home, food, nature, time, places.
const rootsNouns = `
orang manusia pria wanita laki perempuan bapak ibu ayah anak adik kakak kakek nenek
suami istri cucu paman bibi tante om keponakan sepupu mertua menantu saudara kawan
teman sahabat tetangga tamu bos rakyat umat bangsa suku tokoh pemuda remaja dewasa
bayi balita janin jenazah mayat arwah roh jiwa raga tubuh badan kepala rambut muka
wajah dahi alis mata hidung mulut bibir gigi lidah telinga leher bahu dada perut
pinggang punggung lengan siku tangan jari kuku kaki lutut betis paha tumit kulit
tulang otot darah daging jantung hati paru ginjal lambung usus otak saraf napas
nafas keringat air mata ludah
rumah kamar dapur ruang lantai dinding atap pintu jendela pagar halaman
kunci meja kursi lemari rak kasur bantal selimut tikar karpet lampu kipas kulkas
kompor panci wajan piring gelas sendok garpu pisau ember sapu sikat sabun handuk
baju celana kemeja kaos rok sepatu sandal topi tas dompet jam cincin kalung gelang
kacamata payung jas jaket seragam kain benang jarum gunting kancing saku kantong
nasi beras roti mie bakso sate sayur buah daging ayam ikan telur susu keju gula
garam merica cabai cabe bawang tomat kentang jagung kedelai tahu tempe kacang
minyak mentega tepung kopi teh kue permen madu jeruk pisang mangga apel semangka
pepaya nanas durian rambutan salak kelapa anggur jambu melon sirup air es
alam bumi langit matahari bulan bintang awan hujan angin badai petir kilat pelangi
cuaca musim iklim udara embun kabut salju es suhu
tanah batu pasir debu lumpur kayu besi baja emas perak tembaga timah kaca plastik
karet kertas kardus logam minyak bensin solar arang asap
hutan pohon daun bunga akar batang ranting biji benih rumput padi gandum tebu
kelapa sawit karet kopi teh cengkeh tembakau
hewan binatang kucing anjing sapi kerbau kambing domba babi kuda ayam bebek burung
ikan udang kepiting cumi ular tikus nyamuk lalat semut kecoa lebah kupu ulat cacing
gajah harimau singa monyet kera beruang buaya kura penyu
laut pantai pulau sungai danau gunung bukit lembah jurang gua kolam sumur mata air
selat teluk tanjung samudra benua dunia negeri kampung dusun desa kota ibukota
jalan gang lorong simpang perempatan bundaran jembatan terowongan rel trotoar
pasar toko warung kios mal swalayan restoran kafe hotel losmen asrama
kantor gedung menara masjid mesjid gereja pura vihara klenteng makam
sekolah kampus museum stadion lapangan taman alun pos gardu balai
pabrik gudang bengkel bank apotek rumah sakit klinik puskesmas penjara
pagi siang sore malam subuh fajar senja tengah hari minggu bulan tahun abad zaman
masa waktu saat detik menit jam kemarin besok lusa tadi nanti dulu kini sekarang
januari februari maret april mei juni juli agustus september oktober november
desember
`

// rootsNounsMore are more noun roots: society, work, money, things, ideas.
const rootsNounsMore = `
negara pemerintah politik partai pemilu suara calon presiden wakil menteri gubernur
bupati walikota camat lurah kepala ketua sekretaris bendahara anggota
tentara prajurit polisi hakim jaksa notaris dokter bidan guru dosen murid
siswa nelayan buruh karyawan pegawai sopir tukang ojek satpam
wartawan seniman artis atlet montir koki kasir
juru pilot nakhoda awak
uang rupiah dolar harga ongkos biaya tarif upah gaji honor bonus modal
utang bunga laba rugi untung pajak cukai bea zakat sedekah infak
kas dompet rekening deposito saham asuransi pensiun hadiah
barang benda alat mesin perkakas senjata bom peluru pisau tali rantai kawat paku
baut kunci gembok kabel pipa selang ember tong karung kotak peti botol kaleng
bungkus plastik kertas buku pensil pulpen pena tinta spidol
map amplop perangko prangko stempel cap materai meterai kartu karcis tiket
kalender jam arloji radio televisi komputer laptop printer kamera ponsel telepon
sinyal baterai listrik kabel saklar stopkontak lampu bohlam
mobil motor sepeda becak bajaj angkot bus truk kereta pesawat kapal
perahu sampan rakit helm ban roda setir rem mesin knalpot bensin oli aki
ilmu agama budaya adat tradisi seni musik lagu
tari film cerita dongeng berita kabar koran majalah surat buku kitab kamus peta
gambar foto video suara bahasa huruf angka kalimat kata makna arti
nilai hak hukum undang pasal ayat perda
program proyek acara rapat sidang seminar lomba pesta upacara
ulang tahun hari raya lebaran natal imlek nyepi waisak idul fitri adha puasa
sholat salat doa ibadah zakat haji umrah kurban
hasil maksud alasan sebab akibat masalah soal perkara kasus
jawab solusi cara jalan langkah tahap proses prosedur mekanisme
syarat kriteria kategori jenis macam ragam tipe model bentuk warna
jumlah banyak sedikit separuh setengah seluruh semua tiap
satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus
seribu puluh belas ratus ribu juta miliar triliun nol pertama
hal perihal minat bakat hobi cita
pustaka giat tunjang tabung
nasib takdir untung malang rezeki jodoh maut ajal
flu pilek batuk demam sakit pusing mual diare luka memar patah gatal
`
