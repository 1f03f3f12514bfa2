package llm

import (
	"fmt"
	"strings"

	"registre"
)

// systemPrompt is the fixed instruction. It is part of every cache key
// (through the messages) and versioned by SchemaVersion.
var systemPrompt = func() string {
	var b strings.Builder
	b.WriteString(`You extract processing activities (records of a GDPR Art. 30 register) from French data-protection documents: registers, declaration forms, decisions, privacy notices, internal notes.

Answer with one JSON object {"records": [...]}. Each record has exactly these keys; use null when the passage does not state the item:
`)
	for _, k := range answerKeys {
		t := "string or null"
		if k.kind == list {
			t = "array of strings or null"
		}
		fmt.Fprintf(&b, "- %s (%s): %s\n", k.key, t, k.desc)
	}
	b.WriteString(`
Rules:
- Copy every value verbatim from the passage, in French, with the same words in the same order. Do not translate, summarise, complete, reformat dates or invent anything. A value that is not in the passage must be null.
- Lists: one item per item of the source (bullet, line, or element of an enumeration).
- A processing activity counts only if the passage states its purpose and at least one other element (data, persons concerned, recipients, retention, legal basis). A user guide, a blank form, a table of contents or a provider's general compliance statement describes none: answer {"records": []}.
- Tokens such as [EMAIL_1], [TEL_1], [NIR_1] or [IBAN_1] stand for masked identifiers: copy them unchanged when they are part of a value.
- Output only the JSON object.`)
	return b.String()
}()

// userMessage is the question about one chunk, before redaction.
func userMessage(doc *registre.Document, c chunk) string {
	var b strings.Builder
	if doc.Title != "" {
		fmt.Fprintf(&b, "Document: %s\n", oneLine(doc.Title))
	}
	if c.Record >= 0 {
		if c.Name != "" {
			fmt.Fprintf(&b, "The passage holds the processing activity %q. Return that one record only.\n", oneLine(c.Name))
		} else {
			b.WriteString("The passage holds one processing activity (in its middle). Return that one record only.\n")
		}
	} else {
		b.WriteString("Return every processing activity the passage describes.\n")
	}
	b.WriteString("\nPassage:\n<<<\n")
	b.WriteString(c.Text)
	b.WriteString("\n>>>")
	return b.String()
}

// reaskMessage asks again after an invalid answer, listing what was wrong.
func reaskMessage(problems []string) string {
	if len(problems) > 10 {
		problems = append(problems[:10], fmt.Sprintf("… and %d more", len(problems)-10))
	}
	return "Your answer is not valid:\n- " + strings.Join(problems, "\n- ") +
		"\nAnswer again with only the JSON object {\"records\": [...]} with exactly the keys listed, each a string, an array of strings, or null."
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
