package flags

import (
	"regexp"
	"strings"
)

// Provider is a service provider registers name, with where it processes
// data. The list is small and sourced on purpose: a reviewer must be able to
// check every claim the transfer rules make.
type Provider struct {
	Name string `json:"name"`
	// Aliases are matched on folded words ("aut o mattic" also matches
	// "Aut O' Mattic" and "Automattic").
	Aliases []string `json:"aliases"`
	// Exact are matched case-sensitively on the original text, for names
	// that are also ordinary words ("Zoom", "Meta", "Teams").
	Exact []string `json:"exact,omitempty"`
	// Country is where the data are processed (or may be accessed from).
	Country string `json:"country"`
	// EU is true when the provider processes data inside the EU/EEA only.
	EU bool `json:"eu"`
	// Note explains the location in the message.
	Note string `json:"note"`
	// Source says where the location comes from.
	Source string `json:"source"`
}

const dpfList = "liste du Data Privacy Framework (dataprivacyframework.gov)"

// providers is the sourced list used by transfer_contradiction. Notes are
// written for the DPO: where the data go, and why it matters.
var providers = []Provider{
	{Name: "The Rocket Science Group LLC (Intuit Mailchimp)", Aliases: []string{"mailchimp", "rocket science group", "mandrill"}, Country: "États-Unis", Note: "Mailchimp héberge les listes et campagnes aux États-Unis (Atlanta).", Source: "Mailchimp Data Processing Addendum ; " + dpfList},
	{Name: "Google LLC", Aliases: []string{"google", "gmail", "recaptcha", "firebase"}, Country: "États-Unis", Note: "les services Google (Analytics, Workspace, reCAPTCHA…) sont fournis par Google LLC, qui traite les données aux États-Unis.", Source: "Google Cloud Data Processing Addendum, « Data location » ; " + dpfList},
	{Name: "YouTube (Google LLC)", Aliases: []string{"youtube"}, Country: "États-Unis", Note: "YouTube est opéré par Google LLC ; les vidéos intégrées déposent des traceurs et transmettent les données de consultation aux États-Unis.", Source: "Règles de confidentialité de Google ; " + dpfList},
	{Name: "Microsoft Corporation", Aliases: []string{"microsoft", "office 365", "microsoft 365", "azure", "skype", "onedrive", "sharepoint online", "microsoft teams"}, Exact: []string{"Teams"}, Country: "États-Unis", Note: "les services en ligne de Microsoft (Microsoft 365, Teams, Skype, Azure) peuvent donner lieu à des accès depuis les États-Unis, même avec l'« EU Data Boundary ».", Source: "Microsoft Products and Services Data Protection Addendum ; " + dpfList},
	{Name: "Amazon Web Services, Inc.", Aliases: []string{"amazon web services", "aws", "amazon"}, Country: "États-Unis", Note: "Amazon Web Services est une société américaine soumise au droit des États-Unis, quelle que soit la région d'hébergement choisie.", Source: "AWS GDPR Data Processing Addendum ; " + dpfList},
	{Name: "Zoom Video Communications, Inc.", Aliases: []string{"zoom video", "zoom us"}, Exact: []string{"Zoom", "ZOOM"}, Country: "États-Unis", Note: "Zoom traite les données de réunion aux États-Unis sauf configuration de région.", Source: "Zoom Global Data Processing Addendum ; " + dpfList},
	{Name: "Slack Technologies, LLC (Salesforce)", Aliases: []string{"slack"}, Country: "États-Unis", Note: "Slack héberge les espaces de travail aux États-Unis par défaut.", Source: "Slack Data Processing Addendum ; " + dpfList},
	{Name: "Functional Software, Inc. (Sentry)", Aliases: []string{"sentry", "sentry io"}, Country: "États-Unis", Note: "Sentry collecte les rapports d'erreurs (adresses IP, identifiants) sur des serveurs aux États-Unis par défaut.", Source: "Sentry Data Processing Addendum ; " + dpfList},
	{Name: "Automattic Inc. (WordPress.com, Jetpack)", Aliases: []string{"automattic", "aut o mattic", "wordpress com", "jetpack", "gravatar", "akismet"}, Country: "États-Unis", Note: "Automattic (contractant européen Aut O'Mattic A8C Ireland Ltd.) héberge WordPress.com et fait fonctionner Jetpack depuis les États-Unis.", Source: "Automattic Privacy Policy et Data Processing Addendum ; " + dpfList},
	{Name: "Meta Platforms, Inc. (Facebook, Instagram, WhatsApp)", Aliases: []string{"facebook", "instagram", "whatsapp", "meta platforms"}, Exact: []string{"Meta"}, Country: "États-Unis", Note: "les données des pages, pixels et messageries de Meta sont transférées aux États-Unis (voir la décision de la DPC irlandaise du 12 mai 2023).", Source: "Meta Privacy Policy ; décision DPC du 12 mai 2023 ; " + dpfList},
	{Name: "X Corp. (Twitter)", Aliases: []string{"twitter"}, Exact: []string{"X Corp"}, Country: "États-Unis", Note: "X (Twitter) traite les données de ses services aux États-Unis.", Source: "X Privacy Policy"},
	{Name: "LinkedIn Corporation", Aliases: []string{"linkedin"}, Country: "États-Unis", Note: "LinkedIn (Microsoft) transfère les données de ses membres et visiteurs aux États-Unis.", Source: "LinkedIn Privacy Policy ; " + dpfList},
	{Name: "Telegram Messenger Inc.", Aliases: []string{"telegram"}, Country: "Émirats arabes unis (Dubaï) / îles Vierges britanniques", Note: "Telegram est établi hors de l'UE, dans des pays sans décision d'adéquation.", Source: "Telegram Privacy Policy"},
	{Name: "Dropbox, Inc.", Aliases: []string{"dropbox"}, Country: "États-Unis", Note: "Dropbox stocke les fichiers aux États-Unis sauf offre d'hébergement européen souscrite.", Source: "Dropbox Data Processing Agreement ; " + dpfList},
	{Name: "Salesforce, Inc.", Aliases: []string{"salesforce"}, Country: "États-Unis", Note: "Salesforce est une société américaine ; l'hébergement européen (Hyperforce) n'exclut pas les accès de support depuis les États-Unis.", Source: "Salesforce Data Processing Addendum ; " + dpfList},
	{Name: "Cloudflare, Inc.", Aliases: []string{"cloudflare"}, Country: "États-Unis", Note: "Cloudflare traite le trafic sur son réseau mondial, y compris aux États-Unis.", Source: "Cloudflare Data Processing Addendum ; " + dpfList},
	{Name: "SurveyMonkey (Momentive)", Aliases: []string{"surveymonkey", "survey monkey"}, Country: "États-Unis", Note: "les réponses aux enquêtes SurveyMonkey sont hébergées aux États-Unis sauf compte européen.", Source: "SurveyMonkey Privacy Notice ; " + dpfList},
	{Name: "Zendesk, Inc.", Aliases: []string{"zendesk"}, Country: "États-Unis", Note: "Zendesk traite les tickets aux États-Unis sauf option d'hébergement régional.", Source: "Zendesk Data Processing Agreement ; " + dpfList},
	{Name: "HubSpot, Inc.", Aliases: []string{"hubspot"}, Country: "États-Unis", Note: "HubSpot est une société américaine ; les données peuvent être accédées depuis les États-Unis.", Source: "HubSpot Data Processing Agreement ; " + dpfList},
	{Name: "DocuSign, Inc.", Aliases: []string{"docusign"}, Country: "États-Unis", Note: "DocuSign traite les enveloppes aux États-Unis sauf compte européen.", Source: "DocuSign Data Processing Agreement ; " + dpfList},
	{Name: "Calendly LLC", Aliases: []string{"calendly"}, Country: "États-Unis", Note: "Calendly héberge les rendez-vous aux États-Unis.", Source: "Calendly Data Processing Addendum ; " + dpfList},
	{Name: "Cisco Webex", Aliases: []string{"webex"}, Country: "États-Unis", Note: "Webex (Cisco Systems, société américaine) peut traiter les données de réunion aux États-Unis.", Source: "Cisco Webex Privacy Data Sheet ; " + dpfList},
	{Name: "OpenAI, L.L.C.", Aliases: []string{"openai", "chatgpt"}, Country: "États-Unis", Note: "OpenAI traite les requêtes aux États-Unis.", Source: "OpenAI Data Processing Addendum ; " + dpfList},
	// Providers established and hosting in the EU: named so that they are
	// recognised as EU destinations, never as transfers.
	{Name: "Doctolib SAS", Aliases: []string{"doctolib"}, Country: "France", EU: true, Note: "Doctolib est une société française qui héberge les données de santé en France chez un hébergeur certifié HDS.", Source: "Doctolib, politique de protection des données personnelles"},
	{Name: "OVHcloud", Aliases: []string{"ovh", "ovhcloud"}, Country: "France", EU: true, Note: "OVHcloud est une société française (centres de données en France et dans l'UE).", Source: "OVHcloud Data Processing Agreement"},
	{Name: "Scaleway SAS", Aliases: []string{"scaleway"}, Country: "France", EU: true, Note: "Scaleway est une société française (centres de données à Paris, Amsterdam, Varsovie).", Source: "Scaleway Data Processing Agreement"},
	{Name: "Brevo (ex-Sendinblue)", Aliases: []string{"brevo", "sendinblue"}, Country: "France", EU: true, Note: "Brevo est une société française qui héberge les données dans l'UE.", Source: "Brevo Data Processing Agreement"},
}

// Providers returns a copy of the sourced provider list.
func Providers() []Provider {
	out := make([]Provider, len(providers))
	copy(out, providers)
	return out
}

// providerHit is a provider named in a record value.
type providerHit struct {
	p Provider
	m match
}

// matcher is a provider with its exact-name patterns compiled and its
// aliases cut into words once (not for every value of every record).
type matcher struct {
	p       Provider
	exact   []*regexp.Regexp
	aliases []alias
}

// alias is one alias's words and the words glued together.
type alias struct {
	words []string
	glued string
}

func compileProviders(ps []Provider) []matcher {
	out := make([]matcher, len(ps))
	for i, p := range ps {
		out[i].p = p
		for _, x := range p.Exact {
			out[i].exact = append(out[i].exact, regexp.MustCompile(`\b`+regexp.QuoteMeta(x)+`\b`))
		}
		for _, a := range p.Aliases {
			at := strings.Fields(a)
			out[i].aliases = append(out[i].aliases, alias{words: at, glued: strings.Join(at, "")})
		}
	}
	return out
}

// findProviders returns the providers named in the values, first mention
// each, in order of appearance.
func findProviders(ms []matcher, vals []fieldText) []providerHit {
	var out []providerHit
	seen := map[string]bool{}
	for _, v := range vals {
		f := v.fold()
		toks, starts, ends := tokenSpans(f.s)
		compact := strings.Join(toks, "")
		for _, pm := range ms {
			p := pm.p
			if seen[p.Name] {
				continue
			}
			s, e, ok := matchAliases(pm.aliases, compact, toks, starts, ends)
			if !ok {
				for k, re := range pm.exact {
					if !strings.Contains(v.text, p.Exact[k]) {
						continue
					}
					if loc := re.FindStringIndex(v.text); loc != nil {
						fs := 0
						for fs < len(f.off)-1 && f.off[fs] < loc[0] {
							fs++
						}
						s, e, ok = fs, fs+(loc[1]-loc[0]), true
						break
					}
				}
			}
			if !ok {
				continue
			}
			seen[p.Name] = true
			ev, cs, ce := f.clause(s, min(e, len(f.s)))
			out = append(out, providerHit{p: p, m: match{field: v.field, index: v.index, text: v.text, evidence: ev, start: cs, end: ce}})
		}
	}
	return out
}

// tokenSpans splits folded text into alphanumeric words with their offsets.
func tokenSpans(s string) (toks []string, starts, ends []int) {
	i := 0
	for i < len(s) {
		for i < len(s) && !isAlnum(s[i]) {
			i++
		}
		j := i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		if j > i {
			toks = append(toks, s[i:j])
			starts = append(starts, i)
			ends = append(ends, j)
		}
		i = j
	}
	return
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// matchAliases finds an alias as a word sequence, or glued: "aut o mattic"
// matches the words "aut","o","mattic" and the word "automattic" alike.
func matchAliases(aliases []alias, compact string, toks []string, starts, ends []int) (int, int, bool) {
	for _, a := range aliases {
		at, glued := a.words, a.glued
		if !strings.Contains(compact, glued) {
			continue
		}
		for i := range toks {
			// Word sequence.
			if i+len(at) <= len(toks) {
				ok := true
				for k, w := range at {
					if toks[i+k] != w {
						ok = false
						break
					}
				}
				if ok {
					return starts[i], ends[i+len(at)-1], true
				}
			}
			// Glued or split differently: concatenate up to 4 words.
			if !strings.HasPrefix(glued, toks[i]) {
				continue
			}
			acc := ""
			for k := i; k < len(toks) && k < i+4; k++ {
				acc += toks[k]
				if acc == glued {
					return starts[i], ends[k], true
				}
				if len(acc) >= len(glued) {
					break
				}
			}
		}
	}
	return 0, 0, false
}
