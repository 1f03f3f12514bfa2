package html

import (
	"context"
	"os"
	"strings"
	"testing"

	"registre"
)

func mustRead(t *testing.T, src string) *registre.Document {
	t.Helper()
	doc, err := Read(context.Background(), "t.html", []byte(src))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return doc
}

func TestStructure(t *testing.T) {
	doc := mustRead(t, `<html><head><title>Registre</title><script>var x="Finalité";</script></head><body>
<header><nav><ul><li><a href="/">Accueil</a></li></ul></nav></header>
<main><h1>Titre  principal</h1>
<p>Un <strong>Label</strong> : valeur<br>seconde ligne</p>
<ul><li>un<ul><li>deux <a href="/f.pdf">Acte</a> <span>pdf - 1 Ko</span></li></ul></li></ul>
<table><tr><th>A</th><th>B</th></tr><tr><td colspan="2"><p>x</p><p>y</p></td></tr></table>
</main><footer>Pied de page</footer></body></html>`)
	if doc.Title != "Registre" {
		t.Errorf("title = %q", doc.Title)
	}
	for _, bad := range []string{"Accueil", "Pied de page", "var x"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("noise %q kept in text %q", bad, doc.Text)
		}
	}
	var kinds []string
	for _, b := range doc.Blocks {
		kinds = append(kinds, string(b.Kind))
		if b.Kind != registre.BlockTable && doc.Text[b.Start:b.End] != b.Text {
			t.Errorf("block span %d-%d = %q, want %q", b.Start, b.End, doc.Text[b.Start:b.End], b.Text)
		}
	}
	want := "heading paragraph list_item list_item table"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("kinds = %q, want %q", got, want)
	}
	h := doc.Blocks[0]
	if h.Level != 1 || h.Text != "Titre principal" {
		t.Errorf("heading = %+v", h)
	}
	p := doc.Blocks[1]
	if p.Text != "Un Label : valeur\nseconde ligne" {
		t.Errorf("paragraph text = %q", p.Text)
	}
	if len(p.Labels) != 1 || doc.Text[p.Labels[0].Start:p.Labels[0].End] != "Label" {
		t.Errorf("labels = %v", p.Labels)
	}
	li := doc.Blocks[3]
	if li.Level != 1 || len(li.Links) != 1 {
		t.Fatalf("nested item = %+v", li)
	}
	l := li.Links[0]
	if l.Href != "/f.pdf" || doc.Text[l.Start:l.End] != "Acte" || l.After != "pdf - 1 Ko" {
		t.Errorf("link = %+v", l)
	}
	tbl := doc.Blocks[4]
	if len(tbl.Rows) != 2 || len(tbl.Rows[1]) != 1 || tbl.Rows[1][0].ColSpan != 2 {
		t.Fatalf("table rows = %+v", tbl.Rows)
	}
	if got := tbl.Rows[1][0].Text(); got != "x\ny" {
		t.Errorf("cell text = %q", got)
	}
	c := tbl.Rows[1][0]
	if doc.Text[c.Start:c.End] != "x\ny" {
		t.Errorf("cell span text = %q", doc.Text[c.Start:c.End])
	}
}

// Broken markup is read the way browsers read it.
func TestBrokenMarkup(t *testing.T) {
	doc := mustRead(t, `<body><ul><li><b>Nom du traitement</b> : X<li>Finalité : <i>Y</ul><p>après <div>bloc</p>`)
	if !strings.Contains(doc.Text, "Nom du traitement : X\n") || !strings.Contains(doc.Text, "Finalité : Y\n") {
		t.Errorf("text = %q", doc.Text)
	}
}

func TestDeepNesting(t *testing.T) {
	src := "<body>" + strings.Repeat("<div><span>", 5000) + "profond" + strings.Repeat("</span></div>", 5000) + "</body>"
	doc := mustRead(t, src)
	if !strings.Contains(doc.Text, "profond") {
		t.Errorf("deep text lost")
	}
}

func TestLatin1(t *testing.T) {
	doc := mustRead(t, "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Donn\xe9es de sant\xe9</p></body></html>")
	if !strings.Contains(doc.Text, "Données de santé") {
		t.Errorf("text = %q", doc.Text)
	}
}

func TestCramifPage(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/corpus/cramif-registre.html")
	if err != nil {
		t.Fatal(err)
	}
	doc := mustRead(t, string(data))
	headings, links := 0, 0
	for _, b := range doc.Blocks {
		if b.Kind == registre.BlockHeading && b.Level == 2 {
			headings++
		}
		links += len(b.Links)
	}
	if headings != 73 {
		t.Errorf("h2 headings = %d, want 73", headings)
	}
	if strings.Contains(doc.Text, "Navigation principale") || strings.Contains(doc.Text, "Rechercher") {
		t.Errorf("site chrome kept")
	}
	if !strings.Contains(doc.Text, "Date de mise en œuvre : 6 décembre 1993") {
		t.Errorf("accents or spacing lost")
	}
	if links < 32 {
		t.Errorf("links = %d, want ≥ 32 attachment links", links)
	}
}

func FuzzRead(f *testing.F) {
	f.Add("<ul><li><strong>A</strong> : b</li></ul>")
	f.Add("<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>")
	f.Add("<p>a<br>b<a href=x>c</a></p>")
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := Read(context.Background(), "f.html", []byte(s))
		if err != nil {
			return
		}
		for _, b := range doc.Blocks {
			if b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End {
				t.Fatalf("block span %d-%d out of %d", b.Start, b.End, len(doc.Text))
			}
			for _, l := range b.Links {
				if l.Start < b.Start || l.End > b.End || l.Start > l.End {
					t.Fatalf("link span %d-%d outside block %d-%d", l.Start, l.End, b.Start, b.End)
				}
			}
		}
	})
}
