package knowledge

// rootsAdjectives are common adjective, adverb and function-word roots.
const rootsAdjectives = `
baik buruk bagus jelek indah cantik tampan manis pahit asin asam pedas gurih enak
lezat besar kecil panjang pendek tinggi rendah lebar sempit luas tebal tipis berat
ringan keras lunak kuat lemah cepat lambat pelan lama baru muda tua kuno modern
panas dingin hangat sejuk basah kering bersih kotor terang gelap jelas samar
mahal murah kaya miskin penuh kosong ramai sepi sunyi dekat jauh tinggi dalam
dangkal tajam tumpul halus kasar licin lurus bengkok bulat datar tegak miring
senang sedih gembira bahagia marah takut berani malu bangga kecewa bosan jenuh lelah
capek letih lapar haus kenyang sakit sehat segar lemas pusing kantuk
benar salah betul tepat pas cocok sesuai layak pantas wajar aneh biasa umum khusus
penting utama pokok dasar pasti mungkin perlu harus wajib boleh bisa dapat sanggup
mudah sulit susah gampang ringkas lengkap kurang lebih cukup sangat amat paling
agak hampir sudah belum pernah sedang masih lagi juga pula saja hanya cuma baru
segera langsung tiba selalu sering jarang kadang kerap terus tetap sama lain beda
semua seluruh tiap para banyak sedikit beberapa macam
putih hitam merah kuning hijau biru ungu coklat cokelat abu jingga oranye emas
aman bahaya rawan darurat sibuk santai rajin malas pintar bodoh cerdas pandai
sopan ramah jujur adil setia sabar tenang gugup panik ragu yakin serius resmi
gratis bebas lancar macet sah palsu asli tulen murni lokal asing
kosong penuh habis sisa lunas tunggak
lambat telat awal akhir tengah pertama
sini situ sana mana apa siapa kapan bagaimana mengapa kenapa berapa
bila apabila jika kalau agar supaya karena sebab meski
walau namun tetapi tapi atau dengan untuk bagi dari pada kepada oleh tentang
terhadap hingga sampai sejak antara selama sebelum sesudah setelah ketika saat
tanpa kecuali selain seperti bagai sebagai yaitu yakni ialah adalah
saya aku kami kita kamu anda engkau dia beliau mereka kalian
tidak bukan jangan belum ada punya mau ingin akan harus perlu bisa boleh dapat
sudah telah pernah sedang masih lagi saja juga
tidak enggak nggak mohon tolong silakan terima kasih maaf
`

// rootsLookAffixed are roots that look affixed (they start like di-, ke-, se-, be-,
// te-, me-, pe- or end like -an, -kan, -i, -, -nya, -ku, -mu) and so must be
// listed for the stemmer to leave them whole. Many would otherwise be stripped into
// another word: "kelas" into "las", "beruang" into "uang", "kemudian" into "kemudi".
const rootsLookAffixed = `
pajak kantor perlu pergi percaya periksa pesan peta sekolah selesai sebab semua
sedang segera terima tempat teman tentang berita beri belum besar benar baru makan
minum minta masuk mana kami kamu dengan lahan ikan jalan kanan akan bulan tahun
tulis sehat sakit selalu pikir rumah usia kalian kemudian kelas kejam ketua kerabat
pesisir pegang beras teras keras bekas berkas beruang seragam sekarang sebelah
sekitar sekali sebentar terlalu terapi perak peran perang pernah pertama perut
perlu pesta petang petak peti pena pelan pelik pendek penting pentas pensiun
penjara pelangi pedas pecah pesawat pesantren peserta pegawai pemerintah pengacara
pelaku pengantar perempatan perempuan periode permisi permen permata persen
persis pertiwi perabot perahu peram perangko perawan perdana
peringkat perintah peristiwa perkara perkasa perkosa perlente pernik
persada pertiwi pesona petai petak petir petuah pelita pelosok
pelupuk pematang pemilu pemuda pendapa pendopo pengaruh penyu pepaya percik
perdu pergelangan pesek petaka petasan petola peyek
meja mereka merah medan mesin mesti meski memang menang mental menteri mentah melati
melayu merdeka mewah meter menu media medis megah mekar melon memar mending
mentega menara merpati meriah merek merk mesjid mesra meriam metode menantu
mengkudu mertua
berat beres bersih bersin berani berapa beranda berangkat berandal berahi berhala
berlian benar besar belum belakang bebas belanja bensin benua beton betis
betul beku belang belut bencana bengkak bengkel bening benih berkat
berang beringin benda bendera benang bentang bentar benteng besuk besan betina
bekicot belantara belalang belas belati beledu beliau belimbing belukar bemo
berandal bercak berengsek bergajul bersit bertih berudu
terang terus terima ternak terbang terjemah terompet tertib teriak terigu terong
terumbu teratai terasi teropong terowongan terlalu terminal termin termos teror
terpal terbit tergesa terjang terka terkam terjal terak teritori teritip
terjun terobos
kelas kejam ketua kerabat keras kecil kebun kecap kedai kelapa keledai kelinci
keliling kemah kembar kemeja kenal kental kepala kepada kepiting kera kerang
keranjang keris kering keringat kertas keruh kesal kesan ketat ketik ketupat kebal
kecewa kedelai kejar keju kelabu kelamin kelompok keluarga kemarin kembali kenang
kencing kendali kendara kening kentang kepal keping kerbau kereta kerikil keripik
keriput kerja kerucut kerupuk kesatria ketan ketel ketimun ketumbar keluar kelahi
kelola keluh kenyang kemas kekal kelopak kemiri kendi kenari keramik keran kerap
keriting kerudung ketam ketapel ketiak ketombe ketoprak kebaya kecapi kecimpung
kedip kejang kejut kekang kelakar kelana kelereng kelir kelit kemangi
kemarau kemben kemenyan kempis kemudi kena kenduri kenyal kepak kepang kepundan
kerangka kerah keramat kerdil kerikil kering keroncong kesuma
ketika ketimbang ketuk keruk
sekolah sebab semua sedang segera seragam sekarang sebelah sekitar sekali sebentar
selalu sering sempat sendiri senang sewa seminar sejuk sektor selatan sejarah
sedikit seperti sesuai setuju selamat semangat sepeda sepatu serius sehat selesai
semen sembilan sepuluh seratus seribu sebelas seni senja sepi serbu seri sesak
setan setia sebar sebut sedap sedia segar segi sejati sekat sela selam selang
selera selimut seluruh semak sembuh sempit semut senam sendok sengaja senyum sepak
serang serap serasi serikat sesudah sebelum selama seberang sebagai sedekah
sekretaris selisih seluler semester sembako senat senin sensus sentral serba
serentak serta sesi setelah setor selidik selenggara seleksi semprot sengketa
sesal sesat sekadar sekedar sekunder selera selisih semat
semir sempurna senapan sendal senggang sengat sepakat serabut serambi serasah
seringai serkah sesuatu setengah seterika setrika selasa sepatu
dinas diri diam dingin digital direktur diagnosa dialog dimensi disiplin diskon
diskusi distrik dividen dikte dilema dinamis dinding diploma dia dirgahayu diare
diesel diet diksi dinamika dinasti dioda diorama direksi dirigen disket disko
distribusi
bulan tahun jalan makan ikan akan lahan kanan bukan tuhan badan pesan tahan taman
teman hewan iman aman awan huruf kawan lawan tuan setan hujan hutan zaman papan
bahan saran ringan pasukan alasan lapangan bagian ladang insan intan kapan depan
layan perempuan sultan pangan pedoman pekan tekan
kemudian kalian sebelas karyawan wartawan seniman relawan sastrawan
ilmuwan bangsawan dermawan negarawan hartawan rupawan budiman
pakai mulai sampai bagai pandai ramai santai selesai sungai rantai pantai damai
landai lantai cerai tirai gulai tupai cabai kedai petai belai bantai badai
kunci kopi roti gigi bumi hari tali kaki nasi besi sapi mandi nanti kiri diri
janji benci cuci suci mati hati jati kursi bakti bukti saksi sanksi aksi inti
ganti pasti sakti rugi bagi dini sini kini bunyi sunyi nyanyi puisi posisi tari
lari beli cari sendiri tinggi lagi pagi padi kali ragi puji uji isi kiri lihai
yakni pelangi kemeja kepiting
sekolah salah olah kalah telah lelah masalah sejarah rumah tanah darah arah
ramah sudah mudah murah marah sebelah wilayah ibadah sedekah langkah nikah
gajah mewah megah jumlah sah indah musyawarah hadiah sekolah nasihat tengah
punya tanya hanya cahaya kaya raya daya biaya budaya bahaya percaya setia
buku laku saku kuku suku paku baku kaku palu malu tamu ilmu temu jamu ramu
`
