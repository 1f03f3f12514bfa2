package flags

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/template"
)

//go:generate go run ./internal/gendoc -o ../docs/flags.md

var placeholderRe = regexp.MustCompile(`\{\{[^}]*?\.(\w+)[^}]*\}\}`)

// describe renders a message template for the documentation: every value
// the detector fills in is shown as ‹name›.
func describe(tmpl string) string {
	vars := map[string]string{}
	for _, m := range placeholderRe.FindAllStringSubmatch(tmpl, -1) {
		vars[m[1]] = "‹" + m[1] + "›"
	}
	t, err := template.New("doc").Option("missingkey=zero").Parse(tmpl)
	if err != nil {
		return tmpl
	}
	var b strings.Builder
	if err := t.Execute(&b, vars); err != nil {
		return tmpl
	}
	return b.String()
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// Markdown writes the catalogue and the provider list as the reference page
// docs/flags.md. The output depends only on the rules and providers, so the
// page can be regenerated and checked for staleness.
func Markdown(w io.Writer, rules []Rule, providers []Provider) error {
	var b strings.Builder
	b.WriteString("<!-- Généré par `go generate ./flags` (ou `registre rules --markdown`) à partir de flags/rules.go et flags/providers.go. Ne pas modifier à la main. -->\n\n")
	b.WriteString("# Règles de contrôle du registre\n\n")
	b.WriteString("Chaque règle lève un *flag* sur un traitement : un code (le catalogue du contrat), une gravité, le champ visé, ")
	b.WriteString("l'extrait qui l'a déclenché (avec sa position dans le document source) et un message en français qui dit ce qui ne va pas, ")
	b.WriteString("pourquoi (avec la source juridique et sa date) et quoi écrire à la place. Plusieurs règles peuvent lever le même code avec des explications différentes. ")
	b.WriteString("Lorsque le document est antérieur à la date d'effet d'une règle, le message le dit (« était correct à la date du document, obsolète depuis… »).\n\n")
	b.WriteString("| Règle | Code | Gravité | Version | En vigueur depuis | Objet | Source |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [%s](#%s) | `%s` | %s | %d | %s | %s | %s |\n",
			r.ID, strings.ToLower(r.ID), r.Code, r.Severity, r.Version, r.Effective, cell(r.Title), cell(r.Citation))
	}
	b.WriteString("\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "## %s\n\n**%s** — code `%s`, gravité %s, version %d, champ `%s`, portée %s.\n\n",
			r.ID, r.Title, r.Code, r.Severity, r.Version, orDash(r.Field), scopeName(r.Scope))
		fmt.Fprintf(&b, "- **Constat** : %s\n", describe(r.Message))
		fmt.Fprintf(&b, "- **Pourquoi** : %s\n", r.Why)
		fmt.Fprintf(&b, "- **À écrire** : %s\n", describe(r.Fix))
		fmt.Fprintf(&b, "- **Source** : %s\n", r.Citation)
		fmt.Fprintf(&b, "- **En vigueur depuis** : %s (%s)\n", frenchDate(r.Effective), r.Effective)
		if r.Dated != "" {
			fmt.Fprintf(&b, "- **Document antérieur** : %s\n", describe(r.Dated))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Prestataires connus (transferts)\n\n")
	b.WriteString("La règle XFR-005 compare la réponse « Transfert » aux prestataires nommés dans le traitement. ")
	b.WriteString("La localisation d'un prestataire ne lève jamais à elle seule `transfer_without_safeguard` : seul un transfert déclaré le fait.\n\n")
	b.WriteString("| Prestataire | Noms reconnus | Lieu de traitement | UE/EEE | Source |\n|---|---|---|---|---|\n")
	for _, p := range providers {
		names := append(append([]string(nil), p.Aliases...), p.Exact...)
		eu := "non"
		if p.EU {
			eu = "oui"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(p.Name), cell(strings.Join(names, ", ")), cell(p.Country), eu, cell(p.Source))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "tout le traitement"
	}
	return s
}

func scopeName(s string) string {
	if s == scopeCorpus {
		return "entre traitements (tout le lot)"
	}
	return "un traitement"
}
