package decision

import (
	"context"
	"strings"
	"testing"

	"registre"
)

// A caisse's own act creating a processing: the name follows "relatif à"
// (masculine, as "traitement" is), the act's date is when the processing
// was put in place, and a visa naming the CNIL in full is lineage.
func TestCreationAct(t *testing.T) {
	const head = `CAISSE PRIMAIRE D'ASSURANCE MALADIE DE LA CORRÈZE

`
	const body = `

Le directeur de la caisse primaire d'assurance maladie de la Corrèze,

Vu la loi n° 78-17 du 6 janvier 1978 modifiée relative à l'informatique, aux fichiers et aux libertés ;

Vu la déclaration à la Commission nationale de l'informatique et des libertés enregistrée le 12 avril 2011 sous le n° 1502337 ;

Décide :

Article 1er

Il est créé un traitement automatisé dont la finalité est de planifier les examens périodiques de santé.

Article 2

Les données sont conservées un an après la date de l'examen.

Fait à Tulle, le 3 mai 2011
`
	tests := []struct {
		title, name, date string
	}{
		{"Décision n° 2011-07 du 3 mai 2011 portant création d'un traitement automatisé de données à caractère personnel relatif à la gestion des rendez-vous du centre d'examens de santé",
			"gestion des rendez-vous du centre d'examens de santé", "3 mai 2011"},
		{"Décision n° 2011-08 relative à la création d'un traitement concernant les examens de santé",
			"examens de santé", "3 mai 2011"},
		// A modifying act does not date the processing.
		{"Décision n° 2011-09 modifiant le traitement relatif aux rendez-vous", "rendez-vous", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := textDoc(t, head+tt.title+body)
			recs, err := Parser{}.Extract(context.Background(), doc)
			if err != nil || len(recs) != 1 {
				t.Fatalf("Extract = %d records, %v", len(recs), err)
			}
			r := recs[0]
			if got := values(r, registre.FieldName); len(got) != 1 || got[0] != tt.name {
				t.Errorf("name = %q, want %q", got, tt.name)
			}
			if got := strings.Join(values(r, registre.FieldImplementationDate), "|"); got != tt.date {
				t.Errorf("implementation date = %q, want %q", got, tt.date)
			}
			if !anyContains(values(r, registre.FieldLineage), "n° 1502337") {
				t.Errorf("lineage = %q, want the CNIL declaration", values(r, registre.FieldLineage))
			}
		})
	}
}
