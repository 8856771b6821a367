package knowledge

import "strings"

// The slang lexicon: how citizens type a word in a chat (abbreviations, Jakarta
// colloquial, typos, Javanese, Sundanese, Betawi, Minang, English) mapped to standard
// Indonesian, so that "gmn bikin kk", "piye carane mbayar pajek montor" and "I lost my
// KTP" reach the same index terms as the knowledge base's own wording.
//
// The analysis chain lower-cases and ASCII-folds text, splits it into word tokens,
// collapses letters repeated three times or more, then looks every token up here; stop
// words are removed and words stemmed afterwards. So:
//
//   - a key is one token of [a-z0-9] (never a pure number), already lower-cased and
//     folded, without a run of three equal letters;
//   - a value is one or more standard words separated by single spaces (affixed forms
//     are fine: the stemmer reduces them), or "" to drop the token (vocatives such as
//     "min" and "kak", particles such as "dong" and "sih", greetings and thanks);
//   - no value word is itself a key (the lexicon is applied once, not to a fixed point);
//   - a common standard Indonesian word is never a key, even when citizens also use it
//     as slang ("sama", "buat", "mau", "lagi", "kali", "pas", "mati", "balik", "kaya"):
//     the same lexicon runs over the knowledge base, and mapping such a word would bend
//     the knowledge base's own text.
//
// The lexicon is split over several files by kind of entry; each part is a map, and
// slangLexicon is their union (lexicon_test.go checks that no key is in two parts).
//
// Verbs whose standard base is a stop word ("buat", "dapat") map to their me- form
// ("bikin" → "membuat"), which survives the stop filter and stems to the base, so
// "bikin ktp" meets "pembuatan KTP".

// slangLexicon maps a token as citizens type it to its standard Indonesian form: one
// word, or several separated by single spaces; "" drops the token.
var slangLexicon = mergeLexicons(lexiconParts()...)

// slangWords holds slangLexicon's values already split into words.
var slangWords = splitLexicon(slangLexicon)

// lexiconParts lists the parts slangLexicon is made of, in order of precedence.
func lexiconParts() []map[string]string {
	return []map[string]string{
		lexiconChat, lexiconFillers, lexiconColloquial, lexiconServices,
		lexiconJavanese, lexiconSundanese, lexiconOtherRegional, lexiconEnglish,
	}
}

// mergeLexicons returns the union of parts; for a key in several parts the first wins.
func mergeLexicons(parts ...map[string]string) map[string]string {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make(map[string]string, n)
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; !dup {
				out[k] = v
			}
		}
	}
	return out
}

func splitLexicon(lex map[string]string) map[string][]string {
	out := make(map[string][]string, len(lex))
	for k, v := range lex {
		words := strings.Fields(v)
		if len(words) == 0 {
			out[k] = nil
			continue
		}
		out[k] = words[:len(words):len(words)]
	}
	return out
}

// lookupSlang returns the standard words for a token as citizens type it: ok is false
// when the token is not slang (keep it as is); a nil slice with ok true means drop the
// token (a vocative, a particle, a greeting, laughter such as "wkwk" or "hehe"). The
// slice is shared: callers must not modify its elements.
func lookupSlang(tok string) (replacement []string, ok bool) {
	if words, ok := slangWords[tok]; ok {
		return words, true
	}
	if isLaughter(tok) {
		return nil, true
	}
	return nil, false
}

// lexiconFillers are dropped: vocatives, particles, interjections, greetings and
// thanks carry nothing a knowledge base could match.
var lexiconFillers = map[string]string{
	// vocatives: "halo min", "kak mau tanya", "gan", "sis"
	"min": "", "mimin": "", "kak": "", "gan": "", "agan": "", "sis": "", "sist": "",
	"bro": "", "bray": "", "sob": "", "bang": "", "om": "",
	"mas": "", "mba": "", "mbak": "", "mbk": "", "mpok": "", "bu": "", "pak": "",
	"bun": "", "bund": "", "beb": "", "cuy": "", "coy": "", "guys": "", "gaes": "",
	"gais": "", "sir": "", "madam": "",
	// particles and interjections
	"dong": "", "donk": "", "deh": "", "sih": "", "nih": "", "tuh": "", "kok": "",
	"ya": "", "yah": "", "yaa": "", "yak": "", "loh": "", "lho": "", "mah": "",
	"atuh": "", "euy": "", "hmm": "", "hm": "", "eh": "", "ehm": "", "oh": "", "duh": "",
	"aduh": "", "astaga": "", "astagfirullah": "", "astaghfirullah": "",
	"alhamdulillah": "", "insyaallah": "", "insya": "", "masyaallah": "", "btw": "",
	"fyi": "", "anjir": "", "njir": "", "anjay": "", "dll": "", "dsb": "", "dst": "",
	"nya": "",
	// greetings
	"halo": "", "hallo": "", "helo": "", "hai": "", "hay": "", "hy": "", "hi": "",
	"hei": "", "hey": "", "hello": "", "assalamualaikum": "", "asalamualaikum": "",
	"assalammualaikum": "", "asslamualaikum": "", "assalamu": "", "alaikum": "",
	"aslm": "", "askum": "", "wr": "", "wb": "", "warahmatullahi": "",
	"wabarakatuh": "", "waalaikumsalam": "", "punten": "", "permisi": "",
	// thanks and acknowledgements
	"makasih": "", "makasi": "", "mksh": "", "mksih": "", "mks": "", "maksih": "",
	"makacih": "", "trims": "", "trimakasih": "", "terimakasih": "", "tengkyu": "",
	"thx": "", "thanks": "", "thank": "", "thanx": "", "tq": "", "tks": "", "ty": "",
	"nuhun": "", "suwun": "", "nuwun": "", "matur": "", "hatur": "", "suksma": "",
	"ok": "", "oke": "", "okey": "", "okay": "", "okeh": "", "okee": "", "sip": "",
	"sipp": "", "nggih": "", "inggih": "", "enggih": "", "njih": "", "injih": "",
}
