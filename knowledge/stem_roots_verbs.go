package knowledge

// rootsVerbs are common verb roots, a to k: the roots of me-, di-, ber-, pe- and
// ter- forms ("ambil" for "mengambil", "diambil", "pengambilan").
const rootsVerbs = `
acu adu aduk ajak ajar aju akhir aku alih alir ambil amat ampun ancam andal
angkat angkut anggap anjur antar antre anut apung arah asah asuh atur awas
ayun amuk angguk angkuh anyam apit arung asing asuh atas ampu
baca bagi bahas bakar balas balik bangkit bangun bantah bantu banding bangga bawa
bayar beda bekal bela beli belok benci bentuk beri bersih besuk bicara bidik biar
bikin bimbing bina bisik bohong bolak boleh bongkar buang buat bujuk buka bukti
bungkus buru butuh bubar bunuh bahagia baik bakti balut bangkrut banting
batal batas belah beres bimbang bincang bingung bius blokir bocor bor bual
bubuh bujur bumbu buncah buntu bungkam bunyi buruk busuk buyar bagus basuh batuk
cabut cakup campur cantum capai cari catat cegah celup cemar cepat cerita cetak
cicil cinta cipta cium coba coblos colok contoh cocok cuci cukur curi curiga cukup
cabik cakar cambuk cangkul cantol capit cegat celaka cemas cengkeram cermat
cibir cicip cincang colek copot corat cubit cuil culik cungkil curah curang cabang
daftar damai dampak damping dapat darat datang dekat dengar desak
didik diam dinas diri dobrak dorong duduk duga dukung dulu dusta dahulu dakwa
damba dandan dapur debat dekap delik dendam dera deras derita desain detak
didih dingin dobel dongkrak dorong duga dukun dulang dupa duplikasi dusta
edar eja ejek emban embus empas endap engkau entas erat erti esa evaluasi
fasilitas fitnah fokus foto fotokopi
gabung gadai gagal gali gambar gampang ganggu ganti ganjal garap garis garuk gaul
gelar gembira gemuk genggam gerak gesek gigit gilir goda golong goreng gosok gugur
gulung guna gunting gurau gusur gaji galang gambar ganas gandeng gantung garam
gasak gebuk gelap gelincir gempur gendong gerai gerebek geser gilas goncang gores
gores gotong gugat gulat guncang gurat
hadap hadir hafal hajat hambat hampir hancur hangat hantar hanyut hapus harap
harga hasil hati hemat henti hibur hidup hilang himpun hina hirup hitung
hormat hubung hukum huni hadang hadiah haluan hambur hampar hantam hantu hardik
hasut hayat heran hias hijau himbau imbau hindar hinggap hisap hujat hunus
ikat ikut ingat ingin injak inap intai isi izin idam idap ikhlas ikrar imbang
imbas impi inap incar indah indeks infak ingkar insaf intip iris iring isap isyarat
jabat jadi jaga jahit jajah jalan jalin jamin jamu jangkau jaring jatuh jauh jawab
jelas jelajah jemput jemur jenguk jual jumpa juluk jurus jabar jadwal jagal jahat
jaja jajak jalar jambret jangkit janji jarah jarak jebak jejak jelma jelajah jemu
jengkel jerat jewer jilat jinak jiplak jodoh jotos julur jungkir
kabar kabul kaget kait kaji kala kalah kali kalut kandung kantuk karang karya kasih
kata kawal kawin kecewa kejar kelola keluar keluh kemas kembali kembang kena kenal
kenan kendali kepung kerja kering kikis kira kirim kobar kocok koleksi kompres
koreksi kosong kuasa kubur kukus kumpul kunci kunjung kupas kurang kurung kutip
kabur kacau kagum kais kalang kalung kandang kapan karat karam kasar kawat kecap
kecil kecoh kelabu keluh kemudi kencang kendur kenyang kepal keras kerat kerik
kerok kerut ketik ketuk kibar kikir kilat kirap kisah kitar kukuh kunyah
kupas kurban kuras kuat kutuk kait kumandang kubu kucil
`

// rootsVerbsMore are common verb roots, l to z.
const rootsVerbsMore = `
labrak lacak laga lahap lahir laksana lalai lalu lambai lampau lampir lancar landas
langgar langkah langsung lanjut lantik lapor lapis larang laris lari latih lawan
layak layan lebih ledak lekat lempar lengkap lepas lerai lestari letak lewat libat
lihat lilit lindung lintas lipat liput lolos lompat luang lukis lulus lumpuh lunas
lupa luput luruh lebur lecet lekuk lembur lempeng lengah lentur lerai letih letus
libur lindas lingkar lipur lirik lolong lonjak lorot luap lucut luka lumat luncur
lurus lantar lawat layang lebar ledek lelang leleh lelap lempar lenggang
madu mahal main maju makan maki maklum maksud malas malu mampir mampu mandi mangsa
manja mantap marah masak masuk mati mau melek menang minat minta minum
mimpi miring mohon mula mulai muat muda mudah mudik muka mundur muntah murni musnah
musyawarah mabuk macet mahir makmur maling mangkir mantan mapan
maraton masyhur mekar memar mesra miskin moga mogok mohon mujur mukim mulas mulus
mundur musuh mutakhir
nafkah naik nama nanti nasihat nikah nikmat nilai noda nyala nyata nyanyi
nyaman nyawa nyenyak nyeri nyinyir
obat obrol olah oles ombang ompol ongkos operasi orbit oper
pacu padam padat pahat pahit pakai paksa paling pamer panas pancing pandang pandu
panggil panggang pangkas panjang pantau pantul pasang pasok patuh pecah pegang
pelihara peluk pencar pendam pengaruh penuh peras percaya perintah periksa perlu
pesan petik picu pikir pilah pilih pimpin pindah pinjam pintal pisah potong pukul
pulang pulih puji pungut punya pusat putar putus pakan palsu panen pangkat pangku
papar parah pasrah patah patok pecat pelan pelik pelintir pendek penggal pentas
peras perah perang peroleh pesan pijat pijak pikat pikul pilin
pincang pingsan pintar pisah polah potret puas pudar pugar puncak pupuk pura
pusing putih putra
raba racik racun ragu rajin rakit ramah rambah rampas rancang rangkai rangkum
rasa rawat raya rebus rekam rekat rekrut remas rencana rendam renung repot resah
retak ribut rintis ringan rindu risau robek roboh rombak rugi rujuk rumus runtuh
rupa rusak rebut redam redup rekayasa remuk rentang rias rinci ringkas rintang
robek rokok rongrong rosot rubuh rumput runding rundung rusuh
sabar sadap sadar saing sajak saji sakit salah salur sama sambung sambut sampai
sandar sangka santai sapa sapu saring satu sayang sebab sebar sebut sedia
segel sehat sejuk selamat selesai selidik selip semangat sembuh sembunyi semprot
sentuh serah serang serap sesal sesuai setor setuju sewa siap siar sidang sikat
simpan sindir singgah singkir sinyal siram sisih sita sobek solusi sorot suap
sukses suling sumbang sunat suntik supaya surut susah susul susun sulit syukur
sadur salin saksi salam salut sambar sambit sampul sandera sangga sanggah sanggup
santap sapih sarap saran sasar sayat segan sekap selamat selang selenggara selia
selimut selip seling semai sembah sembelih semat sempit sendat senggol sengketa
sepak serbu seret sergap siksa silang simak simpul sindir singkat singgung siram
sirna sisip sita siul sodor sogok sokong sombong songsong sorak sudut sulam sulap
sulut sumpah sungkur suruh susut
tabrak tabung tagih tahan tahu takut tambah tambal tampil tanam tanda tandang
tanggap tanggung tangis tangkap tanya tari tarik taruh tata tatap tawar tayang
tebak tebang tegur tekan tekun telan telepon teliti telusur tempel tempuh tenang
tendang tentu terima terjemah terus tetap tiba timbang timbul timbun tindak tinggal
tingkat tinjau tipu titip tolak tolong tonton topang tuduh tugas tuju tukar tulis
tumbuh tunda tunggu tunjuk tuntut tuntas turun tutup tabur tadah tafsir
takar tambat tamat tampung tanding tangan tangguh tanggal tangkis tantang tapak
tawan tebus tegak teguh tekuk telaah telantar teluk tembak tembus tempa tempuh
tenggelam tepis terbang terka terkam tertib tetas tikam timba timpa tindas tindih
tinju tiru tiup todong tohok tolak tonjol topang tumpah tumpang tumpuk tunai tunas
tunduk tungkai tutur tuang tumbang tubruk
ucap uji ukur ulang ulas umpat umpan umum undang undur ungkap ungsi unggah unggul
unduh unjuk untung upaya urai urus usah usul usir usaha utama utang utus ubah
ujar ulur umbar undi unggul upah usik usung
waris warna wujud wakil wawancara wisuda wajib wakaf wenang
yakin takluk tanggungjawab kulit
zalim ziarah
`
