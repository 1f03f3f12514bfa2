package generic

import (
	"context"
	"strings"
	"testing"

	"registre"
	"registre/ingest/html"
	"registre/ingest/text"
)

// A register written as one paragraph per record, its fields on lines cut by
// <br>, its title in <strong>, gives one record per paragraph; a paragraph
// of wrapped prose is not cut.
func TestLinesOfAParagraph(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		names []string
		field registre.Field
		want  []string // values of field in the first record
	}{
		{"one paragraph per record",
			`<p><strong>1. Accidents du travail</strong><br>Finalité : Indemniser les victimes.<br>Base légale : obligation légale<br>` +
				`Destinataires :<br>- service AT/MP<br>- employeur<br>Durée de conservation : 10 ans</p>` +
				`<p><strong>2. Centre dentaire</strong><br>Finalité : Soigner les patients.<br>Base légale : mission d'intérêt public<br>` +
				`Durée de conservation : 20 ans</p>`,
			[]string{"Accidents du travail", "Centre dentaire"}, // numbering dropped
			registre.FieldRecipients, []string{"service AT/MP", "employeur"}},
		{"prose with a single label line stays whole",
			`<h2>Contact</h2><p>Finalité : répondre à vos messages envoyés<br>depuis le formulaire du site.</p>` +
				`<p>Durée de conservation : 1 an</p><p>Base légale : consentement</p>`,
			[]string{"Contact"},
			registre.FieldPurposes, []string{"répondre à vos messages envoyés depuis le formulaire du site"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Read(context.Background(), "r.html", []byte("<html><body>"+tt.body+"</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, r := range recs {
				if v, ok := r.First(registre.FieldName); ok {
					names = append(names, v.Text)
				}
			}
			if strings.Join(names, "|") != strings.Join(tt.names, "|") {
				t.Fatalf("names = %q, want %q", names, tt.names)
			}
			var got []string
			for _, v := range recs[0].Fields[tt.field] {
				got = append(got, strings.Join(strings.Fields(v.Text), " "))
				if v.Start < 0 || v.End > len(doc.Text) || v.Start > v.End {
					t.Errorf("span %d-%d out of the text", v.Start, v.End)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s = %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}

// OCR of a register: no bold, no headings, fields run together on a line.
// A numbered line followed by a label line is a title, and the fields of a
// label-led line are cut at each later label.
func TestOCRLikeRegister(t *testing.T) {
	src := "REGISTRE DES ACTIVITÉS DE TRAITEMENT\n\n" +
		"1. Accidents du travail\n" +
		"Finalité : Indemniser les victimes. Base légale : obligation légale\n" +
		"Données traitées : identité, NIR Destinataires :\n" +
		"- service AT/MP\n" +
		"Durée de conservation : 10 ans\n\n" +
		"2. Centre dentaire\n" +
		"Finalité : Soigner les patients. Base légale : mission d'intérêt public\n" +
		"Durée de conservation : 20 ans\n\n" +
		"3. Vous pouvez exercer vos droits auprès du DPO\n"
	doc, err := text.Read(context.Background(), "ocr.txt", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Parser{}.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range recs {
		v, _ := r.First(registre.FieldName)
		names = append(names, v.Text)
	}
	if strings.Join(names, "|") != "Accidents du travail|Centre dentaire" {
		t.Fatalf("names = %q", names)
	}
	tests := []struct {
		field registre.Field
		want  string
	}{
		{registre.FieldPurposes, "Indemniser les victimes."},
		{registre.FieldLegalBasis, "obligation légale"},
		{registre.FieldDataCategories, "identité, NIR"},
		{registre.FieldRecipients, "service AT/MP"},
		{registre.FieldRetention, "10 ans"},
	}
	for _, tt := range tests {
		v, _ := recs[0].First(tt.field)
		if strings.TrimRight(v.Text, ".") != strings.TrimRight(tt.want, ".") {
			t.Errorf("%s = %q, want %q", tt.field, v.Text, tt.want)
		}
		if doc.Text[v.Start:v.End] != v.Text {
			t.Errorf("%s: span text %q differs from %q", tt.field, doc.Text[v.Start:v.End], v.Text)
		}
	}
}
