package form

import "testing"

// Template instructions written as imperatives are no values, whatever the
// verb; answers that merely start like one are kept.
func TestImperativeInstructions(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Décrivez la finalité principale du traitement et, le cas échéant, ses finalités secondaires.", true},
		{"Listez les catégories de données.", true},
		{"Saisissez le nom du prestataire", true},
		{"Expliquez pourquoi ces données sont nécessaires", true},
		{"Chez le prestataire d'hébergement, 3 ans", false},
		{"Calculer et verser les indemnités journalières", false},
		{"Assez rarement : en cas de contentieux", false},
		{"Gestion des rendez-vous", false},
		{"Rendez-vous", false},
		{"Suez Eau France (hébergement)", false},
	}
	for _, tt := range tests {
		if got := isInstruction(tt.in); got != tt.want {
			t.Errorf("isInstruction(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
