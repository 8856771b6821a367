package knowledge

import (
	"strings"
	"unicode"
)

// Small talk: greetings, thanks, farewells, yes and no, "are you a bot?", insults,
// moods and test pings. A message is small talk only when every word in it is a
// small-talk word or phrase or a filler (a vocative such as "min" or "pak", a particle
// such as "dong", a pronoun): "halo min" is, "halo min mau tanya cara bikin ktp" and
// "terima kasih, KTP saya sudah jadi" are not.

// smalltalkKind says what kind of small talk a message is.
type smalltalkKind int

const (
	smalltalkNone        smalltalkKind = iota
	smalltalkGreeting                  // halo, selamat pagi, assalamualaikum, mau tanya
	smalltalkThanks                    // terima kasih, makasih, matur nuwun, thanks
	smalltalkGoodbye                   // dadah, sampai jumpa, bye, see you
	smalltalkAffirm                    // ok, ya, siap, yes
	smalltalkDeny                      // tidak, gak, no, nope
	smalltalkBotQuestion               // are you a bot, kamu robot?
	smalltalkAbuse                     // insults
	smalltalkMood                      // I'm sad, great, capek, laughter
	smalltalkTest                      // p, tes, test, ping
)

var smalltalkKindNames = [...]string{"none", "greeting", "thanks", "goodbye", "affirm",
	"deny", "bot-question", "abuse", "mood", "test"}

func (k smalltalkKind) String() string {
	if k >= 0 && int(k) < len(smalltalkKindNames) {
		return smalltalkKindNames[k]
	}
	return "unknown"
}

// smalltalkPriority decides the kind of a message holding several: "oke makasih" is
// thanks, "kamu bot ya?" a bot question, "halo tes" a greeting.
var smalltalkPriority = []smalltalkKind{smalltalkAbuse, smalltalkBotQuestion,
	smalltalkThanks, smalltalkGoodbye, smalltalkMood, smalltalkGreeting, smalltalkTest,
	smalltalkDeny, smalltalkAffirm}

// smalltalkPhrases lists small-talk words and phrases by kind, in canonical form: after
// smalltalkAliases, without smalltalkSkip words, words separated by single spaces.
var smalltalkPhrases = map[smalltalkKind][]string{
	smalltalkGreeting: {
		"halo", "hallo", "helo", "hello", "hai", "hay", "hi", "hy", "hei", "hey",
		"hola", "moin", "yo", "oi", "woi", "woy", "howdy", "greetings", "hiya",
		"sup", "wassup", "whats up", "what up", "permisi", "misi", "punten",
		"sampurasun", "assalamualaikum", "asalamualaikum", "assalamualaikom",
		"assalammualaikum", "asslamualaikum", "salamualaikum", "samlekom", "aslm",
		"aslmkm", "askum", "assalamu alaikum", "ass wr wb", "waalaikumsalam",
		"walaikumsalam", "salam", "salam kenal", "salam sejahtera", "shalom",
		"om swastiastu", "namo buddhaya", "horas", "selamat", "selamat pagi",
		"selamat siang", "selamat sore", "selamat malam", "selamat datang", "pagi",
		"siang", "sore", "malam", "good morning", "good afternoon", "good evening",
		"good day", "goodmorning", "goodafternoon", "goodevening", "morning",
		"evening", "afternoon", "sugeng enjing", "sugeng siang", "sugeng sonten",
		"sugeng dalu", "sugeng ndalu", "sugeng rawuh", "wilujeng enjing",
		"wilujeng siang", "wilujeng sonten", "wilujeng wengi", "wilujeng sumping",
		"apa kabar", "bagaimana kabar", "kabar bagaimana", "kabar", "how are you",
		"how are you doing", "how do you do", "how is it going", "hows it going",
		"lets go", "lets start", "start", "mulai", "menu", "mau tanya",
		"mau bertanya", "boleh tanya", "boleh bertanya", "izin tanya",
		"izin bertanya", "numpang tanya", "tanya", "i have question", "can i ask",
		"want to ask", "help", "tolong", "bisa bantu",
	},
	smalltalkThanks: {
		"terima kasih", "terimakasih", "trimakasih", "makasih", "makasi", "maacih",
		"macih", "makacih", "mksh", "mksih", "mks", "maksih", "mkasih", "trims",
		"trimksh", "tq", "ty", "tyvm", "thx", "thanks", "thank", "thanku",
		"thankyou", "thank you", "thanx", "tengkyu", "tenkyu", "tengkiu", "kamsia",
		"nuhun", "hatur nuhun", "haturnuhun", "matur nuwun", "maturnuwun",
		"matur suwun", "suwun", "nuwun", "suksma", "syukron", "jazakallah",
		"jazakallahu khairan", "jazakumullah", "membantu", "terbantu",
		"sudah terbantu", "helpful", "appreciated", "arigato",
		"gracias", "merci",
	},
	smalltalkGoodbye: {
		"bye", "byebye", "bye bye", "bai", "babay", "bubye", "bubay", "dadah", "dada",
		"see you", "see ya", "see you around", "see you soon", "see you tomorrow",
		"talk to you later", "cya", "cu", "later", "laters", "goodbye", "good bye",
		"good by", "goodnight", "good night", "nite", "take care", "have nice day",
		"have good day", "have great day", "sampai jumpa", "sampai ketemu",
		"sampai nanti", "sampai bertemu", "jumpa", "selamat tinggal",
		"selamat tidur", "selamat jalan", "pamit", "pergi dulu", "duluan",
		"cabut dulu", "off dulu", "sudah dulu", "sekian", "itu saja", "cukup",
		"sudah cukup", "wassalam", "wassalamualaikum", "ttyl", "gtg", "hati hati",
	},
	smalltalkAffirm: {
		"ya", "iya", "iye", "iyo", "yes", "yep", "yup", "yups", "yap", "yoi", "yeah",
		"yea", "y", "k", "ok", "oke", "okay", "okey", "okeh", "okie", "oki", "sip",
		"siap", "baik", "baiklah", "boleh", "betul", "benar", "bener", "setuju",
		"sepakat", "mantap", "mantab", "mantul", "keren", "bagus", "top", "jos",
		"noted", "understood", "got it", "sure", "of course", "indeed", "correct",
		"right", "exactly", "absolutely", "definitely", "agree", "alright",
		"allright", "aight", "cool", "nice", "sounds good", "sounds great", "paham",
		"sudah paham", "mengerti", "ngerti", "dimengerti", "begitu", "oh begitu",
		"oalah", "owh", "oh", "o", "lanjut", "sama sama", "nggih", "inggih",
		"enggih", "njih", "injih", "muhun", "sumuhun", "leres", "monggo", "mangga",
		"tentu", "pasti",
	},
	smalltalkDeny: {
		"no", "n", "nope", "nah", "never", "no way", "not", "dont think",
		"dont like", "dont want", "do not", "tidak", "bukan", "jangan", "tidak jadi",
		"tidak usah", "tidak perlu", "tidak mau", "tidak ada", "batal", "salah",
		"keliru", "ogah", "emoh", "moh", "embung", "moal",
	},
	smalltalkBotQuestion: {
		"are you bot", "are you human", "are you real", "are you real person",
		"are you person", "you are bot", "is this bot", "is this human",
		"is this real person", "is this real", "is it bot", "talking to bot",
		"talking to human", "talking to real person", "talking to person",
		"speaking to bot", "speaking to human", "chatting with bot", "who are you",
		"what are you", "kamu bot", "kamu manusia", "kamu orang", "kamu asli",
		"kamu siapa", "siapa kamu", "ini bot", "ini manusia", "ini siapa",
		"dengan siapa", "manusia atau bot", "bot atau manusia", "orang atau bot",
		"siapa yang jawab", "yang jawab siapa", "siapa yang balas",
	},
	smalltalkAbuse: {
		"bodoh", "bego", "begok", "goblok", "goblog", "gblk", "tolol", "dungu",
		"idiot", "stupid", "dumb", "oon", "bloon", "bebal", "gila", "sinting",
		"payah", "lemot", "ngaco", "ngawur", "tidak jelas", "tidak guna",
		"tidak berguna", "tidak becus", "useless", "worthless", "jelek", "bangsat",
		"anjing", "kampret", "keparat", "bajingan", "brengsek", "sialan", "tai",
		"taik", "asu", "jancuk", "jancok", "cok", "kontol", "memek", "ngentot",
		"babi", "monyet", "kunyuk", "setan", "fuck", "fucking", "fck", "shit",
		"bitch", "bastard", "damn", "wtf", "suck", "sucks", "kurang ajar",
		"nyebelin", "menyebalkan", "ngeselin", "bot sampah", "jawaban sampah",
	},
	smalltalkMood: {
		"great", "perfect", "amazing", "wonderful", "awesome", "fantastic",
		"excellent", "good", "fine", "happy", "glad", "stoked", "feeling like king",
		"like king", "going to save world", "save world", "sad", "unhappy", "upset",
		"angry", "disappointed", "depressed", "bored", "tired", "lonely",
		"horrible", "terrible", "awful", "bad", "not good", "not well", "not fine",
		"not great", "dont feel well", "dont feel good", "sedih", "senang",
		"seneng", "bahagia", "gembira", "galau", "bete", "capek", "cape", "lelah",
		"bosan", "bosen", "stres", "stress", "pusing", "mumet", "sumpek", "kesel",
		"kesal", "sebel", "sebal", "marah", "kecewa", "baik baik saja",
		"kabar baik", "alhamdulillah", "alhamdulillah baik", "lol", "lmao", "rofl",
		"xd", "wow", "wah", "waduh", "aduh", "duh", "huft", "hadeh", "hadeuh",
		"ya ampun", "astaga", "astagfirullah", "astaghfirullah",
	},
	smalltalkTest: {
		"p", "pp", "ping", "tes", "test", "testing", "tst", "123",
	},
}

// smalltalkAliases maps spelling variants to the canonical word the phrases use.
var smalltalkAliases = map[string]string{
	"met": "selamat", "slmt": "selamat", "slamat": "selamat", "selmat": "selamat",
	"ga": "tidak", "gak": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak",
	"enggak": "tidak", "engga": "tidak", "ngak": "tidak", "tdk": "tidak",
	"kagak": "tidak", "kaga": "tidak", "ndak": "tidak", "nda": "tidak",
	"ora": "tidak", "mboten": "tidak", "boten": "tidak", "teu": "tidak",
	"henteu": "tidak", "gx": "tidak", "tak": "tidak",
	"kmu": "kamu", "lu": "kamu", "lo": "kamu", "elu": "kamu", "loe": "kamu",
	"anda": "kamu", "ente": "kamu", "kau": "kamu", "dirimu": "kamu",
	"sy": "saya", "aku": "saya", "gw": "saya", "gue": "saya", "gua": "saya",
	"aq":     "saya",
	"botnya": "bot", "robot": "bot", "robotnya": "bot", "chatbot": "bot",
	"ai": "bot", "mesin": "bot", "bots": "bot", "machine": "bot",
	"trima": "terima", "ksh": "kasih", "kasi": "kasih",
	"gimana": "bagaimana", "gmn": "bagaimana", "gmna": "bagaimana",
	"bgmn": "bagaimana", "kabarnya": "kabar", "kbr": "kabar",
	"aja": "saja", "aj": "saja", "doang": "saja",
	"udah": "sudah", "udh": "sudah", "sdh": "sudah",
	"c": "see", "cee": "see", "u": "you", "r": "are", "gud": "good",
	"dlu": "dulu", "dl": "dulu", "sampe": "sampai", "ampe": "sampai",
	"ktemu": "ketemu", "malem": "malam", "mlm": "malam",
	"mw": "mau", "mo": "mau", "mao": "mau", "nanya": "tanya", "nanyak": "tanya",
	"tny": "tanya", "ijin": "izin", "blh": "boleh", "gitu": "begitu",
	"jawabannya": "jawaban", "jawabanmu": "jawaban", "jwbn": "jawaban",
	"bantuin": "bantu", "im": "i",
	"makasii": "makasih", "thankss": "thanks", "bisaa": "bisa",
}

// smalltalkSkip words are deleted before matching: articles and intensifiers never
// change what kind of small talk a message is ("so so perfect", "terima kasih banyak").
var smalltalkSkip = setOf("a", "an", "the", "very", "so", "really", "super", "extremely",
	"extremly", "quite", "too", "sangat", "banget", "bgt", "bngt", "sekali", "amat",
	"pisan", "bet", "lagi", "banyak", "atas", "juga", "also", "again", "much", "lot")

// smalltalkVocatives address the reader; a message of vocatives only ("min?", "kak")
// is a greeting.
var smalltalkVocatives = setOf("min", "mimin", "admin", "minn", "kak", "kakak", "ka",
	"pak", "bapak", "bu", "ibu", "bund", "bunda", "mas", "mbak", "mba", "bang", "abang",
	"gan", "agan", "sis", "sist", "bro", "bos", "boss", "om", "tante", "sir", "madam",
	"maam", "miss", "mister", "dude", "buddy", "mate", "bot", "sob", "cuy", "coy", "beb",
	"dear", "akang", "kang", "teteh", "teh", "neng", "mpok", "dik", "dek", "everyone",
	"all", "guys", "gaes", "gais", "semua", "semuanya", "kawan", "teman", "friend",
	"friends", "loket", "petugas", "operator", "cs")

// smalltalkParticles are fillers that neither carry content nor make small talk.
var smalltalkParticles = setOf("dong", "donk", "deh", "sih", "nih", "tuh", "kok", "loh",
	"lho", "lah", "kah", "yah", "kan", "mah", "atuh", "euy", "toh", "pun", "saja", "dulu",
	"itu", "ini", "this", "that", "there", "it", "is", "am", "are", "was", "i", "me",
	"my", "you", "your", "we", "saya", "kamu", "kami", "kita", "terus", "mulu",
	"melulu", "dasar", "emang", "memang", "jawaban", "bantuannya", "infonya",
	"informasinya", "responnya", "balasannya", "hmm", "hm", "eh", "ehm", "um", "uh",
	"well", "and", "dan", "feel", "feeling", "feels", "felt", "day", "today", "untuk",
	"buat", "apakah", "maaf", "sorry", "anjir", "njir", "please", "pls", "plis", "wr", "wb",
	"warahmatullahi", "wabarakatuh", "warahmatullah", "nya")

// smalltalkEmoji gives the kind of the emoji that carry one; any other emoji alone
// makes a mood message.
var smalltalkEmoji = map[rune]smalltalkKind{
	'🙏': smalltalkThanks, '👍': smalltalkAffirm, '👌': smalltalkAffirm,
	'🙂': smalltalkAffirm, '😊': smalltalkAffirm, '😀': smalltalkAffirm,
	'😁': smalltalkAffirm, '😃': smalltalkAffirm, '😄': smalltalkAffirm,
	'✅': smalltalkAffirm, '✔': smalltalkAffirm, '👋': smalltalkGreeting,
	'👎': smalltalkDeny, '❌': smalltalkDeny, '😭': smalltalkMood, '😢': smalltalkMood,
	'😞': smalltalkMood, '😔': smalltalkMood, '🙁': smalltalkMood, '☹': smalltalkMood,
	'😂': smalltalkMood, '🤣': smalltalkMood, '😡': smalltalkMood, '😠': smalltalkMood,
	'🤬': smalltalkAbuse, '🖕': smalltalkAbuse,
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// smalltalkTable maps every canonical phrase to its kind; smalltalkKnown holds every
// word the classifier knows (to pick the right spelling of "pagiii" or "saad").
var smalltalkTable, smalltalkKnown, smalltalkMaxWords = buildSmalltalkTable()

func buildSmalltalkTable() (map[string]smalltalkKind, map[string]bool, int) {
	table := map[string]smalltalkKind{}
	known := map[string]bool{}
	longest := 1
	for _, kind := range smalltalkPriority {
		for _, p := range smalltalkPhrases[kind] {
			if _, dup := table[p]; !dup {
				table[p] = kind
			}
			words := strings.Fields(p)
			longest = max(longest, len(words))
			for _, w := range words {
				known[w] = true
			}
		}
	}
	for _, set := range []map[string]bool{smalltalkSkip, smalltalkVocatives, smalltalkParticles} {
		for w := range set {
			known[w] = true
		}
	}
	return table, known, longest
}

// classifySmalltalk reports whether a whole message is small talk and which kind: true
// only when the message consists of small-talk words and phrases plus fillers
// (vocatives, particles, pronouns, emoji, punctuation), with no content word. A
// question ("halo min mau tanya cara bikin ktp") or a statement ("terima kasih, KTP
// saya sudah jadi") is not small talk: it returns smalltalkNone.
func classifySmalltalk(text string) smalltalkKind {
	raw, emoji, symbols := smalltalkTokens(text)
	toks := raw[:0]
	for _, t := range raw {
		if t = smalltalkCanon(t); !smalltalkSkip[t] {
			toks = append(toks, t)
		}
	}
	found := map[smalltalkKind]bool{}
	for _, k := range emoji {
		found[k] = true
	}
	vocative := false
	for i := 0; i < len(toks); {
		n := min(smalltalkMaxWords, len(toks)-i)
		for ; n > 0; n-- {
			if kind, ok := smalltalkTable[strings.Join(toks[i:i+n], " ")]; ok {
				found[kind] = true
				break
			}
		}
		if n > 0 {
			i += n
			continue
		}
		switch t := toks[i]; {
		case smalltalkVocatives[t]:
			vocative = true
		case smalltalkParticles[t]:
		case isLaughter(t):
			found[smalltalkMood] = true
		default:
			return smalltalkNone // a content word
		}
		i++
	}
	for _, k := range smalltalkPriority {
		if found[k] {
			return k
		}
	}
	switch {
	case vocative:
		return smalltalkGreeting
	case len(toks) == 0 && symbols:
		return smalltalkMood
	}
	return smalltalkNone
}

// smalltalkTokens lower-cases and folds text and splits it into words: runs of letters
// or of digits; apostrophes join ("don't" → "dont"), a "2" glued to a word repeats it
// ("hati2" → "hati hati"). It also returns the kinds of the emoji it saw, and whether it
// saw any symbol.
func smalltalkTokens(text string) (toks []string, emoji []smalltalkKind, symbols bool) {
	var cur []rune
	digits, glued := false, false
	flush := func() {
		if len(cur) == 0 {
			return
		}
		w := string(cur)
		if digits && glued && w == "2" && len(toks) > 0 {
			w = toks[len(toks)-1]
		}
		toks = append(toks, w)
		cur = cur[:0]
	}
	for _, r := range strings.ToLower(text) {
		switch {
		case r == '\'' || r == '’' || r == '`' || r == '´':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = foldLatin(r)
			d := unicode.IsDigit(r)
			if len(cur) > 0 && d != digits {
				flush()
				glued = true
			} else if len(cur) == 0 {
				glued = false
			}
			digits = d
			cur = append(cur, r)
		default:
			flush()
			glued = false
			if k, ok := smalltalkEmoji[r]; ok {
				emoji = append(emoji, k)
			}
			if unicode.In(r, unicode.So, unicode.Sk, unicode.Co) {
				symbols = true
			}
		}
	}
	flush()
	return toks, emoji, symbols
}

// latinFold maps common accented Latin letters to their ASCII letter.
var latinFold = func() map[rune]rune {
	const from, to = "àáâãäåèéêëìíîïòóôõöùúûüýÿñç", "aaaaaaeeeeiiiiooooouuuuyync"
	m := make(map[rune]rune, len(to))
	for i, f := range []rune(from) {
		m[f] = rune(to[i])
	}
	return m
}()

// foldLatin removes the accent from common accented Latin letters ("é" → "e").
func foldLatin(r rune) rune {
	if f, ok := latinFold[r]; ok {
		return f
	}
	return r
}

// smalltalkCanon returns the canonical spelling of a word: its alias, or the first of
// its repeated-letter variants ("pagiii" → "pagi", "goood" → "good", "saad" → "sad")
// the classifier knows; else the word with runs of three letters shortened to two.
// Doubled letters are only undone in words of three letters or more: "kk" stays "kk".
func smalltalkCanon(w string) string {
	variants := []string{w, collapseRuns(w, 3, 2), collapseRuns(w, 3, 1)}
	if len(w) >= 3 {
		variants = append(variants, collapseRuns(w, 2, 1))
	}
	for _, v := range variants {
		if a, ok := smalltalkAliases[v]; ok {
			return a
		}
		if smalltalkKnown[v] {
			return v
		}
	}
	return variants[1]
}

// collapseRuns shortens every run of at least min equal letters to keep letters.
func collapseRuns(w string, least, keep int) string {
	var b strings.Builder
	rs := []rune(w)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		n := j - i
		if n >= least && unicode.IsLetter(rs[i]) {
			n = keep
		}
		for range n {
			b.WriteRune(rs[i])
		}
		i = j
	}
	return b.String()
}

// isLaughter reports whether a token is typed laughter: at least four letters repeating
// one two-letter unit ("wkwk", "wkwkwk", "kwkw", "haha", "hehe", "hihi", "huhu", "hoho",
// "xixi"), possibly after an "a" ("awkwk", "ahaha").
func isLaughter(tok string) bool {
	tok = strings.TrimPrefix(tok, "a")
	if len(tok) < 4 {
		return false
	}
	switch tok[:2] {
	case "wk", "kw", "ha", "he", "hi", "hu", "ho", "xi":
	default:
		return false
	}
	for i := 2; i < len(tok); i++ {
		if tok[i] != tok[i%2] {
			return false
		}
	}
	return true
}
