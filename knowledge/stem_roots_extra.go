package knowledge

// rootsExtra are more general roots, verbs, nouns and adjectives alike.
const rootsExtra = `
halang juang gemar ukir turut tunang tualang terap tani tambang sunting suka seru
raja puja pancar padu muncul manfaat larut langgan khianat jaya gagas bawah baptis
anugerah abdi tunggang tempur tegang tarung tapa selundup sederhana sangkut rata
rantau rangsang ramal pihak peduli paham mulia masyarakat limpah lawak jajar deteksi
daulat daki ciri cetus cermin biak berontak bayang baris bangkang balap bajak amal
alas alah wibawa umur tusuk tuntun tumpu tumpas tumbuk tular toreh tobat tikai
tiada tepi tenun tengkar tema tegas teduh tatar taraf tanjak tanggulang tampak taat
sungguh stabil sirat sinar sinambung silat sikap seteru sembur selingkuh sekutu
sangkal sandang samping rombong renang reda rayu rangkap raih rahasia prihatin
pribadi prediksi prakarsa populer perinci paus pangkal panah padan pacar naung mitra
matang lontar loncat lengkung leceh kurus kritik komplot komentar khotbah khawatir
kecam judi juara isolasi inspirasi iklan hidang haram golak getar gembala gelut
ganda esok dakwah cerna cerah catur candu cakap bilang bijak berantas bentur bendung
benah beban baring bandar awet asas arak agung adab abadi wisata wayang watak warta
wadah variasi utuh utara unsur unik umpama ujung uap tulus tuah toleh titis titi
tingkah tidur tewas tetes terampil tera tepuk tenteram tenis tekstur tekad tebar
tawa taut tangkar tanduk tancap tampar tampang takjub syair sutradara susur susup
suplai sumber sumbat suluh sujud suguh subur struktur stimulasi sponsor skala sisik
sirip simpati simbol sila sifat setel serpih serbuk serat seram senjang sengsara
sendi sembarang sembahyang semayam selubung selinap seleweng selancar sekongkol
sejahtera sedot sarang salip salib sabda runtun runcing rumpun rumit rukun rotasi
rongga rohani riwayat rilis riang revisi retas restu rela rekonstruksi refleksi
reduksi reaksi ratap rasul rangkul rangkak rangka rancu rampung rambat radang pusar
pukau protes promosi proklamasi profesi praktik potensi pose pompa pola pinggir
pidato perilaku pergok perangkap peka paut patung patroli paten pantang panjat
pancur pampang pahlawan orientasi optimal olahraga obsesi niat niaga ngeri
negosiasi nada nabi mutu muara motif moral monopoli monitor mobilisasi misal mirip
minimal militer meditasi markas mahkota lumas lintang lingkup lenyap lembar lembap
lembab lega lazim layu laras lapuk lapang lantun lanjur langka landa lancong
lambang lakon laju label kumpar kuap kualitas kristen korek konten konsumsi kongsi
kompromi kokoh klasifikasi kiprah kilau kilas kicau kias kian khayal khasiat khas
kerumun kenyam kencan keliru kejap kecut kecamuk kaum karier kapasitas kampanye
kabung junjung julang judul jorok jerumus jerit jepit jenjang jemaah jawat jantan
jangka jajan jajal jago istimewa islam irama inisiatif indikasi implementasi imbuh
imbal ilustrasi ilham idola ibadat hulu hirau hempas helat helai hebat hawa hasrat
harum haru harmonis halau hajar gunduk gumul gumpal gulir guling gugus gugah gondol
giring giling gila gigih gerombol gerilya gengsi genetik gencat genap gempar gelombang
gelintir gejolak gegas gebrak gaya gapai ganjar galak fungsi firman favorit evolusi
enggan elak ekspresi eksplorasi eksploitasi ekor edit duri durasi duka duet dosa
dominasi dirgantara detail deskripsi deret derajat denyut dendang demonstrasi
deklarasi dekam definisi dedikasi dansa dampar dalang cuplik corak cenderung
cemerlang cemburu cela cekik caplok canda cadang buta buron bundar buluh bulu bugar
budi budak boyong boikot bobot binasa bijaksana bibit berkah berantak bentrok benam
belot bedah beber basmi basis bara banjar babak asumsi aspal asosiasi asal arif
argumen antisipasi anjung anggar ambisi ambang alokasi akurat akumulasi akuisisi
akses ajaib afiliasi adon adaptasi absah abai
`

// rootsExtraMore are more roots: everyday words, and roots that the rules would
// otherwise strip into another word ("kelasi" into "kelas", "perlahan" into "lahan").
const rootsExtraMore = `
sederhana sekaligus mempelai beritahu manfaat langgan pengantin tandatangan
tindaklanjut perumda perseroda ponakan psikologi risiko laik sejahtera tenagakerja
persalinan bersalin selaku perlahan kasi selai pipi reli kiai merak kerak pegas
selada sementara semesta nanah nyaring majikan pendeta penghulu
penatua pelopor perwira peluit pekerti perisai periuk permaisuri permadani perunggu
perangai peranti pepatah performa persepsi personel personil persero persona
personal petisi penalti penetrasi penisilin penguin semboyan senandung senantiasa
senator senior sekoci sekuler sekuritas sekuriti selaput selebriti selektif
selendang selongsong serangga serial serigala seroja seruling seruni terminologi
teroris terorisme teritorial termometer diagram diagonal dialek diameter diaspora
dinosaurus dinamit diode direktorat divisi difusi diafragma berisik keliru kelenjar
kelelawar kelenteng kelontong kemelut kemuning kedondong keladi ketela kerumun
kecambah kerani keraton kelasi pengin pingin kepingin kawasan lumayan istilah
makalah silsilah risalah paguyuban pagelaran pangeran patungan pabean peleton
penasaran perilaku periodik permanen menopause memori memorandum melodi melinjo
metropolitan teladan teknisi yayasan adegan ajudan gamelan alquran alhamdulillah
imigran juragan esai demikian komandan dominan varian veteran signifikan relevan
transparan toleran konsultan akuntan demonstran partisipan kontestan brilian
elegan arogan median vegetarian sedan semifinal siluman sebentar
abis asal akses ciri coret denah digit fisik fungsi ganda gawat jalur judul kanal
lembar luar muncul mutlak padahal rangka riwayat rutin samping tangga tangki tiang
timur barat selatan utara tenggara barat daya titik tunggal wafat total teori
struktur stok spasi sentra prioritas presisi promosi protes publik renovasi reklame
rehab robot komponen komplain koordinat kronologi kurs manajemen manipulasi
matematika maksimal minimal mikro makro objek operasional otomatis administratif
aspirasi arsitektur anonim almarhum almarhumah bioskop calo campak drastis fiktif
fiskal info inggris indonesia jasmani kapital katolik protestan hindu buddha budha
konghucu muslim nonmuslim laktasi nifas polio ruko rukan sofa negeri
utilitas liar neon lelucon ledeng tempo strip tirta raharja basis entah halo tagar
timnas ultah hendak ekstrem kilo gram liter meter kilometer persen ons ton hektare hektar
`

// rootsExtraEveryday are more everyday roots: feelings, things, actions, chat words.
const rootsExtraEveryday = `
hamba cedera gentar renggang batin baur jamah karib kudus resap sabit timbal amanat
bonceng borong dayung dewa gaduh goyang jernih kapur lembut sahut telanjang wangi akal
bau bujang condong durhaka impit lengket mufakat palang patut pintas pojok poles rebah
rembuk sarung semu sentak serak sihir silih sisi tenggang akrab andai boros caci
dahsyat derma elok gairah garang geleng gergaji getah gosip hilir jala jamak jilid
jinjing katalog kayuh kelam kilang koyak lantas longgar marak najis obral omong
pajang pancang pantun paruh piara pinang pondok rajut rempah semarak singkap sirih
sorong sudi taksir tambak tangkal tongkat untai waspada zina acuh ampuh aneka bakal
batik begini begitu belenggu bilas bingkai boneka borgol busa cacar carter cekcok
debar dengki encer gagah geledah geli gema gendut genting geram golok hampa hangus
hening iba ibarat katup keroyok khitan kocak kuah kuping kusut langsing murka netral
otonomi parang pekik pusaka rahim rekan sangkar sangsi sentosa senyawa siasat sikut
sisir sobat sortir takhta tandu teguk teken tembok tilik timpang uber wasiat aib
aktual alur amin asyik aurat awam bias bisul botak bubuk butir buyut cagar canggung
ceramah ceria ceroboh citra dahan delegasi dempet dengkur dukacita fasih fatwa gadis
gaib ganjil gerbang gelisah gemuruh gendang girang pulsa kuota paket error eror reset
kos pulpen pena map stopmap materai foto selfie swafoto pasfoto
latar merah biru putih warna lembar rangkap legalisasi cap basah asli
ramadan derek ambulan fakta faktor gejala kinerja kolom koneksi kontak kritis kronis
loker lobi malah masing prinsip standar simpel siklus energi efek efektif aset area
alias legal misi mineral generasi institusi internasional intervensi jenderal
sanitasi retina rompi pesat kelar bocah kalsium anemia malnutrisi antibodi biometrik
higienis inisiasi kognitif produktivitas pubertas eksklusif responsif koridor domain
medium pinjol prakerja dapodik nisn musrenbang taspen jukir suket sktd ppid lhkpn
etle spop pbpu iumk lkpd
`
