package main

import (
	"archive/zip"
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/signintech/gopdf"
	"golang.org/x/sync/errgroup"

	"registre/ingest"
	"registre/pipeline"
)

// This file holds "registre bench gen" (a generator of realistic registers
// in PDF, DOCX and HTML, varying the seed layouts) and "registre bench run"
// (throughput and peak memory of the pipeline and of a full ingestion over a
// folder).

// fontCandidates are Unicode TrueType fonts found on Debian machines
// (fonts-dejavu-core, fonts-liberation); gopdf embeds a subset of the one
// found, so accents and « » survive.
var fontCandidates = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
	"/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
	"/usr/share/fonts/truetype/freefont/FreeSans.ttf",
}

func findFont() string {
	for _, f := range fontCandidates {
		if _, err := os.Stat(f); err == nil {
			return f
		}
	}
	return ""
}

func runBenchGen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("files", 1000, "number of files to generate")
	out := fs.String("out", "", "output folder (created)")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same files)")
	formats := fs.String("formats", "pdf,docx,html", "formats to generate, in rotation")
	font := fs.String("font", findFont(), "Unicode TrueType font embedded in the PDFs")
	workers := fs.Int("workers", runtime.NumCPU(), "files generated at once")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: registre bench gen --files N --out DIR [--formats pdf,docx,html] [--seed S]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || *out == "" || *n <= 0 || fs.NArg() > 0 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	g := &generator{seed: *seed}
	for _, f := range strings.Split(*formats, ",") {
		switch f = strings.TrimSpace(f); f {
		case "pdf", "docx", "html":
			g.formats = append(g.formats, f)
		default:
			fmt.Fprintf(stderr, "registre bench gen: unknown format %q (pdf, docx, html)\n", f)
			return exitUsage
		}
	}
	start := time.Now()
	if err := g.generate(ctx, *out, *n, *font, *workers); err != nil {
		fmt.Fprintf(stderr, "registre bench gen: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "generated %d files in %s (%.1f s)\n", *n, *out, time.Since(start).Seconds())
	return exitOK
}

// generator makes register files from seeded random choices over phrase
// pools taken from the seed registers' vocabulary.
type generator struct {
	seed    uint64
	formats []string
	fonts   *gopdf.FontContainer
}

// generate writes n files into dir, spread over sub-folders of 1000 files.
func (g *generator) generate(ctx context.Context, dir string, n int, font string, workers int) error {
	if len(g.formats) == 0 {
		g.formats = []string{"pdf", "docx", "html"}
	}
	for _, f := range g.formats {
		if f == "pdf" {
			if font == "" {
				return errors.New("no Unicode TrueType font found for the PDFs (install fonts-dejavu-core or pass --font)")
			}
			g.fonts = &gopdf.FontContainer{}
			if err := g.fonts.AddTTFFont("sans", font); err != nil {
				return fmt.Errorf("load font %s: %w", font, err)
			}
		}
	}
	eg, ctx := errgroup.WithContext(ctx)
	eg.SetLimit(max(1, workers))
	var mkdir sync.Mutex
	for i := range n {
		eg.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			sub := filepath.Join(dir, fmt.Sprintf("lot-%03d", i/1000))
			mkdir.Lock()
			err := os.MkdirAll(sub, 0o755)
			mkdir.Unlock()
			if err != nil {
				return err
			}
			return g.file(sub, i)
		})
	}
	return eg.Wait()
}

// file generates the i-th file: its format rotates, its layout and content
// come from a generator seeded with (seed, i), so any file can be rebuilt
// alone.
func (g *generator) file(dir string, i int) error {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	format := g.formats[i%len(g.formats)]
	org := pick(r, organisations)
	base := fmt.Sprintf("%s-%06d", slug(org.short), i)
	switch format {
	case "pdf":
		reg := newRegister(r, org, i, 4+r.IntN(14))
		return g.writePDF(filepath.Join(dir, base+"-registre.pdf"), reg)
	case "docx":
		reg := newRegister(r, org, i, 1)
		return writeDOCXForm(filepath.Join(dir, base+"-fiche.docx"), reg)
	default:
		if r.IntN(10) < 7 {
			reg := newRegister(r, org, i, 3+r.IntN(12))
			return writeHTMLRegister(filepath.Join(dir, base+"-registre.html"), reg)
		}
		reg := newRegister(r, org, i, 1)
		return writeHTMLForm(filepath.Join(dir, base+"-fiche.html"), reg)
	}
}

type organisation struct{ name, short, address string }

var organisations = []organisation{
	{"Caisse régionale d'assurance maladie d'Île-de-France", "Cramif", "17-19 avenue de Flandre – 75954 Paris cedex 19"},
	{"Caisse primaire d'assurance maladie du Val-de-Marne", "CPAM du Val-de-Marne", "1-9 avenue du Général de Gaulle – 94031 Créteil cedex"},
	{"Caisse primaire d'assurance maladie de Paris", "CPAM de Paris", "21 rue Georges Auric – 75948 Paris cedex 19"},
	{"Caisse générale de sécurité sociale de la Guadeloupe", "CGSS de la Guadeloupe", "Quartier de l'Hôtel de Ville – 97100 Basse-Terre"},
	{"Caisse d'assurance retraite et de la santé au travail de Bretagne", "Carsat Bretagne", "236 rue de Châteaugiron – 35030 Rennes cedex 9"},
	{"Caisse de mutualité sociale agricole Dordogne, Lot et Garonne", "MSA Dordogne, Lot et Garonne", "1 place du Général Leclerc – 47913 Agen cedex 9"},
}

// record is one generated processing activity.
type record struct {
	name, coResp, purpose, sector, data                     string
	internal, external, transfer, retention, processor, sec string
	access, date, legal, subjects                           string
}

type register struct {
	org     organisation
	title   string
	intro   string
	records []record
}

var (
	names = []string{
		"Gestion des dossiers oppositions", "Suivi des créances", "Gestion de la relation client", "Plateforme téléphonique",
		"Prise de rendez-vous des patients", "Tarification des risques professionnels", "Gestion des indemnités journalières",
		"Contrôle médical des arrêts de travail", "Allocation de cessation anticipée amiante", "Paiement des créances en ligne",
		"Gestion des réclamations", "Recouvrement des indus", "Enquêtes de satisfaction", "Gestion du courrier entrant",
		"Annuaire des agents", "Vidéoprotection des locaux", "Contrôle d'accès aux bâtiments", "Formation des agents",
		"Service social régional", "Prévention des risques professionnels", "Lutte contre la fraude", "Archivage électronique",
	}
	acronyms = []string{"SNTRP", "SUCRE", "MEDIALOG+", "ESPACE RDV", "EPTICA", "ALIOPP", "WEBACCUEIL", "ARAMIS", "DIADEME", "HIPPOCRATE", "PROGRES", "GRC"}
	purposes = []string{
		"Assurer le suivi des demandes reçues et des réponses apportées aux assurés",
		"Calculer et notifier le taux de cotisation accidents du travail des établissements",
		"Permettre aux assurés de prendre rendez-vous en ligne et gérer les files d'attente de l'accueil physique",
		"Recouvrer les sommes indûment versées et suivre les échéanciers de remboursement",
		"Contrôler la justification médicale des arrêts de travail et des prestations servies",
		"Mesurer la satisfaction des usagers et améliorer la qualité du service rendu",
		"Accompagner les assurés fragilisés par la maladie ou le handicap dans leur maintien dans l'emploi",
		"Garantir la sécurité des biens et des personnes dans les locaux de la caisse",
	}
	sectors = []string{"Direction financière et comptable", "Direction régionale risques professionnels", "Direction relation client et prestations",
		"Direction des ressources humaines", "Service médical", "Direction des systèmes d'information", "Agence comptable"}
	dataCats = []string{
		"Assurés : nom, prénom, NIR, adresse, date de naissance, numéro de téléphone, adresse électronique",
		"Identification (nom, prénom, date de naissance), données de santé (pathologie, arrêts de travail), NIR",
		"Agents : nom, prénom, matricule, service d'appartenance, date de saisie et date de traitement",
		"Employeurs : raison sociale, SIRET, adresse ; salariés : nom, prénom, NIR, salaire, date d'embauche",
		"Coordonnées bancaires (RIB, IBAN), montant de la créance, détails de la procédure",
		"Images de vidéoprotection, date et heure de passage, badge d'accès",
	}
	internals = []string{"Agents habilités du service concerné", "Agents de l'agence comptable", "Praticiens conseils du service médical",
		"Encadrement du pôle relations clients", "Agents du département des affaires juridiques le cas échéant"}
	externals = []string{"URSSAF, INRS, DRP Cnam", "Les assurés pour leurs propres données", "Agents habilités des CPAM partenaires",
		"Trésor public", "Prestataire d'éditique", "non", "Employeurs pour les attestations de salaire"}
	transfers  = []string{"non", "non", "non", "Oui, vers les États-Unis (hébergement Microsoft Azure, clauses contractuelles types)", "non"}
	retentions = []string{"5 ans à compter de la clôture du dossier", "2 ans pour le suivi de l'instruction", "20 ans + 3 ans à l'issue du dernier enregistrement",
		"12 mois dans ESPACE RDV - 2 ans pour les données statistiques", "10 ans", "30 jours pour les images de vidéoprotection",
		"Durée du contrat + 2 ans", "décision Cnam", ""}
	processors = []string{"non", "prestataire OVEA", "non", "Société BVA (enquête)", "non", "Docapost (archivage)"}
	securities = []string{"Accès par mot de passe sécurité", "Habilitations spécifiques, journalisation des accès, chiffrement des flux",
		"Techniques : sécurité Passeport, hébergement Cramif ; Organisationnelles : habilitations spécifiques",
		"Réseau RAMAGE, sécurités ARAMIS, déclaration des agents habilités"}
	accesses = []string{"délégué à la protection des données (DPO)", "DTE", "Directeur de la caisse", "dpo@assurance-maladie.fr"}
	legals   = []string{"Article 6-1-c du RGPD (obligation légale)", "Article 6-1-e du RGPD (mission d'intérêt public)",
		"Article L. 161-29 du code de la sécurité sociale", "Article 9-2-h du RGPD", ""}
	subjectsPool = []string{"Assurés sociaux", "Agents de la caisse", "Employeurs et salariés", "Professionnels de santé", "Visiteurs"}
	months       = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func newRegister(r *rand.Rand, org organisation, file, n int) register {
	reg := register{
		org:   org,
		title: "Registre des activités de traitement – " + org.short,
		intro: "Conformément à l'article 30 du règlement général sur la protection des données (RGPD), la " + org.short +
			" tient un registre des activités de traitement de données à caractère personnel placées sous sa responsabilité.",
	}
	for k := range n {
		name := fmt.Sprintf("%s (%s) n°%d-%d", pick(r, names), pick(r, acronyms), file, k+1)
		reg.records = append(reg.records, record{
			name:      name,
			coResp:    pick(r, []string{"non", "non", "Cnam"}),
			purpose:   pick(r, purposes) + ". " + pick(r, purposes) + ".",
			sector:    pick(r, sectors),
			data:      pick(r, dataCats),
			internal:  pick(r, internals),
			external:  pick(r, externals),
			transfer:  pick(r, transfers),
			retention: pick(r, retentions),
			processor: pick(r, processors),
			sec:       pick(r, securities),
			access:    pick(r, accesses),
			date:      fmt.Sprintf("%d %s %d", 1+r.IntN(28), pick(r, months), 1985+r.IntN(40)),
			legal:     pick(r, legals),
			subjects:  pick(r, subjectsPool),
		})
	}
	return reg
}

// fields are a record's labelled values in Cramif order (label, value);
// recipients are nested under "Destinataire(s) des données".
func (rec record) fields() [][2]string {
	return [][2]string{
		{"Nom du traitement", rec.name},
		{"Co-responsable(s) de traitement", rec.coResp},
		{"Finalité(s) du traitement", rec.purpose},
		{"Secteur d'activité", rec.sector},
		{"Données à caractère personnel", rec.data},
		{"Destinataire(s) des données", ""},
		{"Durée de conservation", rec.retention},
		{"Sous-traitant(s)", rec.processor},
		{"Mesures de sécurité", rec.sec},
		{"Droit d'accès", rec.access},
		{"Date de mise en œuvre", rec.date},
	}
}

func (rec record) recipients() [][2]string {
	return [][2]string{{"Interne", rec.internal}, {"Externe", rec.external}, {"Transfert", rec.transfer}}
}

// formFields are the rows of a declaration form (DOCX/HTML table layout).
func (rec record) formFields() [][2]string {
	return [][2]string{
		{"Nom du traitement", rec.name},
		{"Co-responsable(s) de traitement", rec.coResp},
		{"Direction / secteur d'activité", rec.sector},
		{"Finalité(s)", rec.purpose},
		{"Base légale", rec.legal},
		{"Catégories de personnes concernées", rec.subjects},
		{"Catégories de données", rec.data},
		{"Destinataires", "Interne : " + rec.internal + "\nExterne : " + rec.external},
		{"Transferts hors UE", rec.transfer},
		{"Durée de conservation", rec.retention},
		{"Sous-traitants", rec.processor},
		{"Mesures de sécurité", rec.sec},
		{"Droit d'accès", rec.access},
		{"Date de mise en œuvre", rec.date},
	}
}

func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == 'é' || c == 'è' || c == 'ê':
			b.WriteByte('e')
		case c == 'î':
			b.WriteByte('i')
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// writePDF lays a Cramif-style register out on A4 pages: a title per
// record, then "• Label : value" bullets with wrapped lines and indented
// recipient sub-bullets, as the printed Cramif page.
func (g *generator) writePDF(path string, reg register) error {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.SetInfo(gopdf.PdfInfo{Title: reg.title, Author: reg.org.short, Creator: "registre bench gen"})
	if err := pdf.AddTTFFontFromFontContainer("sans", g.fonts); err != nil {
		return fmt.Errorf("pdf %s: %w", path, err)
	}
	const (
		left   = 56.0
		right  = 539.0
		top    = 60.0
		bottom = 780.0
	)
	y := top
	newPage := func() {
		pdf.AddPage()
		y = top
	}
	line := func(x float64, size float64, text string) error {
		if y > bottom {
			newPage()
		}
		if err := pdf.SetFont("sans", "", size); err != nil {
			return err
		}
		pdf.SetXY(x, y)
		if err := pdf.Cell(nil, text); err != nil {
			return err
		}
		y += size * 1.35
		return nil
	}
	// wrap breaks text into lines that fit width, at spaces (gopdf's
	// SplitText cuts words).
	wrap := func(text string, width float64) ([]string, error) {
		var out []string
		cur := ""
		for _, w := range strings.Fields(text) {
			try := w
			if cur != "" {
				try = cur + " " + w
			}
			tw, err := pdf.MeasureTextWidth(try)
			if err != nil {
				return nil, err
			}
			if tw > width && cur != "" {
				out = append(out, cur)
				cur = w
				continue
			}
			cur = try
		}
		if cur != "" {
			out = append(out, cur)
		}
		return out, nil
	}
	wrapped := func(x, size float64, text string) error {
		if err := pdf.SetFont("sans", "", size); err != nil {
			return err
		}
		parts, err := wrap(text, right-x)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if err := line(x, size, p); err != nil {
				return err
			}
		}
		return nil
	}
	// bullet draws the marker on its own, left of the item's text, as word
	// processors print lists.
	bullet := func(x, size float64, text string) error {
		if y > bottom-size*2 {
			newPage()
		}
		if err := pdf.SetFont("sans", "", size); err != nil {
			return err
		}
		pdf.SetXY(x, y)
		if err := pdf.Cell(nil, "•"); err != nil {
			return err
		}
		err := wrapped(x+14, size, text)
		y += 2
		return err
	}
	newPage()
	if err := line(left, 16, reg.org.short+" – Protection des données personnelles"); err != nil {
		return err
	}
	y += 6
	if err := wrapped(left, 10, reg.intro); err != nil {
		return err
	}
	y += 10
	for _, rec := range reg.records {
		if y > bottom-120 {
			newPage()
		}
		y += 6
		if err := line(left, 13, rec.name); err != nil {
			return err
		}
		for _, f := range rec.fields() {
			if f[0] == "Destinataire(s) des données" {
				if err := bullet(left+10, 10, f[0]+" :"); err != nil {
					return err
				}
				for _, s := range rec.recipients() {
					if err := bullet(left+40, 10, s[0]+" : "+s[1]); err != nil {
						return err
					}
				}
				continue
			}
			if err := bullet(left+10, 10, f[0]+" : "+f[1]); err != nil {
				return err
			}
		}
	}
	if err := pdf.WritePdf(path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func esc(s string) string { return html.EscapeString(s) }

// writeHTMLRegister writes a Cramif-style register page: one div per record,
// an h2 title and a ul of "<strong>Label</strong> : value" items.
func writeHTMLRegister(path string, reg register) error {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Protection des données personnelles | %s</title>\n</head>\n<body>\n", esc(reg.org.short))
	fmt.Fprintf(&b, "<header><nav><ul class=\"menu\"><li><a href=\"/\">Accueil</a></li><li><a href=\"/assures\">Assurés</a></li><li><a href=\"/employeurs\">Employeurs</a></li></ul></nav></header>\n")
	fmt.Fprintf(&b, "<main>\n<h1>Protection des données personnelles</h1>\n<p>%s</p>\n<div class=\"registre-traitements\">\n", esc(reg.intro))
	for k, rec := range reg.records {
		fmt.Fprintf(&b, "<div class=\"registre-traitement\" id=\"traitement-%d\">\n<h2>%s</h2>\n<ul class=\"registre-liste\">\n", k+1, esc(rec.name))
		for _, f := range rec.fields() {
			if f[0] == "Destinataire(s) des données" {
				fmt.Fprintf(&b, "<li><strong>%s</strong> :\n<ul>\n", esc(f[0]))
				for _, s := range rec.recipients() {
					fmt.Fprintf(&b, "<li><strong>%s</strong> : %s</li>\n", esc(s[0]), esc(s[1]))
				}
				b.WriteString("</ul>\n</li>\n")
				continue
			}
			fmt.Fprintf(&b, "<li><strong>%s</strong> : %s\n</li>\n", esc(f[0]), esc(f[1]))
		}
		b.WriteString("</ul>\n</div>\n")
	}
	fmt.Fprintf(&b, "</div>\n</main>\n<footer><p>%s – %s</p></footer>\n</body>\n</html>\n", esc(reg.org.name), esc(reg.org.address))
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// writeHTMLForm writes a declaration form as an HTML table (label | value).
func writeHTMLForm(path string, reg register) error {
	var b strings.Builder
	rec := reg.records[0]
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Fiche de déclaration de traitement – %s</title>\n</head>\n<body>\n", esc(rec.name))
	fmt.Fprintf(&b, "<p>%s – Déclaration de traitement de données à caractère personnel</p>\n<h1>Fiche de déclaration de traitement</h1>\n<p>%s – %s</p>\n<table>\n", esc(reg.org.short), esc(reg.org.name), esc(reg.org.address))
	for _, f := range rec.formFields() {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td></tr>\n", esc(f[0]), strings.ReplaceAll(esc(f[1]), "\n", "<br>"))
	}
	b.WriteString("</table>\n</body>\n</html>\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// writeDOCXForm writes a declaration form as WordprocessingML: a header
// paragraph, a heading and a two-column table, as the legacy Word forms.
func writeDOCXForm(path string, reg register) error {
	rec := reg.records[0]
	var body strings.Builder
	para := func(text, style string) {
		body.WriteString("<w:p>")
		if style != "" {
			fmt.Fprintf(&body, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, style)
		}
		fmt.Fprintf(&body, `<w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, esc(text))
	}
	para(reg.org.short+" – Déclaration de traitement de données à caractère personnel", "")
	para("Fiche de déclaration de traitement", "Heading1")
	para(reg.org.name+" – "+reg.org.address, "")
	body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="6000"/></w:tblGrid>`)
	for _, f := range rec.formFields() {
		body.WriteString(`<w:tr><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>`)
		para(f[0], "")
		body.WriteString(`</w:tc><w:tc><w:tcPr><w:tcW w:w="6000" w:type="dxa"/></w:tcPr>`)
		lines := strings.Split(f[1], "\n")
		for _, l := range lines {
			if l == "" {
				body.WriteString("<w:p/>")
				continue
			}
			para(l, "")
		}
		body.WriteString(`</w:tc></w:tr>`)
	}
	body.WriteString(`</w:tbl><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>`)
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>` +
		body.String() + `</w:body></w:document>`
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style></w:styles>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Fiche de déclaration de traitement – ` + esc(rec.name) + `</dc:title><dc:creator>registre bench gen</dc:creator></cp:coreProperties>`},
		{"word/document.xml", doc},
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	zw := zip.NewWriter(bw)
	for _, e := range files {
		w, err := zw.Create(e.name)
		if err == nil {
			_, err = io.WriteString(w, e.data)
		}
		if err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// runBenchRun measures, over the files of a folder: the pipeline alone
// (read + extract + normalize + flag), a full ingestion into a fresh
// embedded index (pipeline + ledger + index), then the corpus pass over that
// index, each with its own memory peaks (see memSampler).
func runBenchRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	workers := fs.Int("workers", 0, "files processed at once (default: number of CPUs)")
	stage := fs.String("stage", "both", "what to measure: pipeline, ingest or both")
	data := fs.String("data", "", "data dir for the ingestion (default: a temporary dir, removed after)")
	corpus := fs.Bool("corpus", true, "after the ingestion, measure its corpus pass apart (a second run over the unchanged tree)")
	memprofile := fs.String("memprofile", "", "write a heap profile (pprof) near the ingestion's peak of anonymous memory")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: registre bench run [--stage pipeline|ingest|both] [--workers N] [--corpus=false] [--memprofile FILE] DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	dir := fs.Arg(0)
	files, err := ingest.Walk([]string{dir})
	if err != nil {
		fmt.Fprintf(stderr, "registre bench run: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "bench run: %d files in %s, %d CPUs, workers %d\n", len(files), dir, runtime.NumCPU(), max(*workers, 0))
	if *stage == "pipeline" || *stage == "both" {
		start := time.Now()
		mem := startMemSampler(ctx, "")
		p := newPipeline(pipeline.Options{Workers: *workers})
		checker := defaultChecker()
		var nfiles, pages, recs, failed int
		err := p.Stream(ctx, files, func(r pipeline.FileResult) error {
			nfiles++
			if r.Err != nil {
				failed++
				return nil
			}
			if checker != nil {
				checker.Check(r.Records)
			}
			pages += r.Pages
			recs += len(r.Records)
			return nil
		})
		peaks, _ := mem.stop()
		if err != nil {
			fmt.Fprintf(stderr, "registre bench run: %v\n", err)
			return exitFailed
		}
		printBench(stdout, "pipeline (read+extract+normalize+flag)", nfiles, pages, recs, failed, time.Since(start))
		fmt.Fprintf(stdout, "pipeline memory: %v\n", peaks)
	}
	if *stage == "ingest" || *stage == "both" {
		d := *data
		if d == "" {
			tmp, err := os.MkdirTemp("", "registre-bench-")
			if err != nil {
				fmt.Fprintf(stderr, "registre bench run: %v\n", err)
				return exitFailed
			}
			defer os.RemoveAll(tmp)
			d = tmp
		}
		// The corpus pass is measured apart: its memory (a projection of
		// every record, a scan of the whole index) is not the ingestion's.
		// The second run finds the tree unchanged and only does the pending
		// pass, as "registre ingest" does after a --no-corpus-flags run.
		cfg := ingestConfig{DataDir: d, Workers: *workers, Timeout: 2 * time.Minute, MaxSize: ingest.DefaultMaxSize, Paths: []string{dir}, Progress: time.Minute, NoCorpusFlags: true}
		cfg.Index.data = d
		start := time.Now()
		mem := startMemSampler(ctx, *memprofile)
		// Progress lines (once a minute) go to stderr; the summary is not printed.
		rep, err := ingestRun(ctx, cfg, io.Discard, stderr)
		peaks, perr := mem.stop()
		if err != nil {
			fmt.Fprintf(stderr, "registre bench run: %v\n", err)
			return exitFailed
		}
		printBench(stdout, "ingest (pipeline+ledger+bleve index)", rep.Processed, rep.Pages, rep.Records, len(rep.Failed), time.Since(start))
		fmt.Fprintf(stdout, "ingest memory: %v\n", peaks)
		if perr != nil {
			fmt.Fprintf(stderr, "registre bench run: %v\n", perr)
			return exitFailed
		}
		if *corpus {
			cfg.NoCorpusFlags = false
			mem := startMemSampler(ctx, "")
			rep, err := ingestRun(ctx, cfg, io.Discard, stderr)
			peaks, _ := mem.stop()
			if err != nil {
				fmt.Fprintf(stderr, "registre bench run: corpus pass: %v\n", err)
				return exitFailed
			}
			if c := rep.Corpus; c != nil && c.Ran {
				fmt.Fprintf(stdout, "corpus pass: %d records, %d changed, in %.2f s (whole re-run %.2f s)\n", c.Records, c.RecordsChanged, c.Seconds, peaks.Wall.Seconds())
			}
			fmt.Fprintf(stdout, "corpus pass memory (re-run over the unchanged tree): %v\n", peaks)
		}
	}
	return exitOK
}

func printBench(w io.Writer, what string, files, pages, recs, failed int, d time.Duration) {
	s := d.Seconds()
	fmt.Fprintf(w, "%s: %d files (%d failed), %d pages, %d records in %.2f s → %.1f files/s, %.1f pages/s, %.1f records/s\n",
		what, files, failed, pages, recs, s, float64(files)/s, float64(pages)/s, float64(recs)/s)
}
