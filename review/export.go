package review

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"registre"
	"registre/index"
)

// Columns of the CNIL's model register ("modèle de registre"), in its order:
// what a DPO hands over when asked for the register.
var Columns = []string{
	"Nom / sigle du traitement",
	"Date de création",
	"Mise à jour",
	"Responsable du traitement",
	"Délégué à la protection des données",
	"Responsable(s) conjoint(s)",
	"Finalité(s)",
	"Catégories de personnes concernées",
	"Catégories de données",
	"Catégories de destinataires",
	"Transferts hors UE — destinataire",
	"Transferts hors UE — pays",
	"Transferts hors UE — garanties",
	"Durées de conservation",
	"Mesures de sécurité",
	// Beyond the model: where the row comes from and what is still wrong.
	"Organisme",
	"Identifiant",
	"Source",
	"Signalements ouverts",
}

// Row renders a record (corrections applied) in the model register's columns.
func Row(rec registre.Record) []string {
	party := func(p *registre.Party) string {
		if p == nil {
			return ""
		}
		var parts []string
		if p.Name != nil {
			parts = append(parts, *p.Name)
		}
		if p.Contact != nil {
			parts = append(parts, *p.Contact)
		}
		return strings.Join(parts, " — ")
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	join := func(parts ...[]string) string {
		var all []string
		for _, p := range parts {
			all = append(all, p...)
		}
		return strings.Join(all, "\n")
	}
	var recipients []string
	for _, r := range rec.Recipients.Internal {
		recipients = append(recipients, "Interne : "+r)
	}
	for _, r := range rec.Recipients.External {
		recipients = append(recipients, "Externe : "+r)
	}
	transferTo := strings.Join(rec.Transfers.Destinations, "\n")
	if transferTo == "" {
		transferTo = deref(rec.Transfers.Text)
	}
	var open []string
	for _, f := range rec.Flags {
		if f.Status == "" || f.Status == "open" {
			open = append(open, f.Code)
		}
	}
	return []string{
		rec.Name,
		deref(rec.ImplementationDate),
		deref(rec.Source.DocumentDate),
		party(rec.Controller),
		party(rec.DPO),
		strings.Join(rec.JointControllers, "\n"),
		join(rec.Purposes, rec.SubPurposes),
		strings.Join(rec.DataSubjects, "\n"),
		strings.Join(rec.DataCategories, "\n"),
		join(recipients, rec.PersonsWithAccess),
		transferTo,
		"", // countries are in the destinations' text when the source names them
		strings.Join(rec.Transfers.Safeguards, "\n"),
		deref(rec.Retention.Text),
		strings.Join(rec.SecurityMeasures, "\n"),
		rec.Organisation,
		rec.ID,
		rec.Source.Path + " (" + rec.Source.Locator + ")",
		strings.Join(open, ", "),
	}
}

// corrected returns every record matching the request's search, with its
// overlay applied, in the index's order.
func (s *Server) corrected(r *http.Request) ([]registre.Record, error) {
	q := queryOf(r.URL.Query())
	var recs []registre.Record
	err := s.withIndex(r.Context(), func(ix index.Index) error {
		for from := 0; from < index.MaxWindow; from += index.MaxSize {
			res, err := ix.Search(r.Context(), index.Query{Text: q.Text, Filters: q.Filters, WithRecords: true, From: from, Size: index.MaxSize, Facets: []string{}})
			if err != nil {
				return err
			}
			for _, h := range res.Hits {
				if h.Record != nil {
					recs = append(recs, *h.Record)
				}
			}
			if from+len(res.Hits) >= res.Total || len(res.Hits) == 0 {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range recs {
		if recs[i], err = s.cfg.Overlay.ApplyTo(recs[i]); err != nil {
			return nil, err
		}
	}
	if q.Text == "" {
		// Without a query the order is the register's: by organisation, name.
		sort.SliceStable(recs, func(i, j int) bool {
			if recs[i].Organisation != recs[j].Organisation {
				return recs[i].Organisation < recs[j].Organisation
			}
			return recs[i].Name < recs[j].Name
		})
	}
	return recs, nil
}

// export answers the current search as a file in the model register's
// columns (csv, xlsx) or as contract records (json).
func (s *Server) export(ext string) func(http.ResponseWriter, *http.Request, principal) {
	return func(w http.ResponseWriter, r *http.Request, p principal) { s.exportAs(ext, w, r) }
}

func (s *Server) exportAs(ext string, w http.ResponseWriter, r *http.Request) {
	recs, err := s.corrected(r)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	name := "registre." + ext
	switch ext {
	case "json":
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		if recs == nil {
			recs = []registre.Record{}
		}
		writeJSON(w, http.StatusOK, recs)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		// A BOM so that spreadsheet programs read the accents right.
		w.Write([]byte("\ufeff"))
		cw := csv.NewWriter(w)
		cw.Comma = ';'
		cw.Write(Columns)
		for _, rec := range recs {
			cw.Write(safeCells(Row(rec)))
		}
		cw.Flush()
	case "xlsx":
		f, err := workbook(recs)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		if err := f.Write(w); err != nil {
			s.cfg.Logger.Error("write xlsx", "err", err)
		}
	}
}

// safeCells defuses spreadsheet formula injection: a cell that starts with
// = + - @ is prefixed with an apostrophe.
func safeCells(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			c = "'" + c
		}
		out[i] = c
	}
	return out
}

func workbook(recs []registre.Record) (*excelize.File, error) {
	f := excelize.NewFile()
	const sheet = "Registre"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	write := func(row int, cells []string) error {
		for i, c := range cells {
			ref, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(sheet, ref, c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := write(1, Columns); err != nil {
		return nil, err
	}
	for i, rec := range recs {
		if err := write(i+2, Row(rec)); err != nil {
			return nil, err
		}
	}
	style, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err == nil {
		last, _ := excelize.CoordinatesToCellName(len(Columns), 1)
		f.SetCellStyle(sheet, "A1", last, style)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	return f, nil
}

// publicRegister renders the register in the style of the Cramif page, from
// corrected data, for publication.
func (s *Server) publicRegister(w http.ResponseWriter, r *http.Request, _ principal) {
	recs, err := s.corrected(r)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	orgs := map[string][]registre.Record{}
	var names []string
	for _, rec := range recs {
		if _, ok := orgs[rec.Organisation]; !ok {
			names = append(names, rec.Organisation)
		}
		orgs[rec.Organisation] = append(orgs[rec.Organisation], rec)
	}
	sort.Strings(names)
	type group struct {
		Organisation string
		Controller   *registre.Party
		DPO          *registre.Party
		Records      []registre.Record
	}
	var groups []group
	for _, n := range names {
		g := group{Organisation: n, Records: orgs[n]}
		for _, rec := range g.Records {
			if g.Controller == nil && rec.Controller != nil {
				g.Controller = rec.Controller
			}
			if g.DPO == nil && rec.DPO != nil {
				g.DPO = rec.DPO
			}
		}
		groups = append(groups, g)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	s.render(w, "register", map[string]any{"Groups": groups})
}

// marshalIndent is used by pages showing JSON.
func marshalIndent(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
