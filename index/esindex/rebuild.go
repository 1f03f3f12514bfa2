package esindex

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"registre"
	"registre/index"
)

// Writer receives the records of a rebuild.
type Writer interface {
	PutRecords(ctx context.Context, recs []registre.Record) (index.PutResult, error)
}

type writerTo struct {
	x      *Index
	target string
}

func (w writerTo) PutRecords(ctx context.Context, recs []registre.Record) (index.PutResult, error) {
	return w.x.put(ctx, w.target, recs)
}

// Rebuild is a full reindex: it creates a new versioned index from the
// current template, lets fill write every record into it, then moves the
// alias from the old indices to the new one in one atomic _aliases call and
// deletes the old indices. Searches see the old index until the swap, the
// new one after, never a half-filled one. When fill fails the new index is
// deleted and the alias is left as it was. Records put through the alias
// during a rebuild go to the old index: fill must be the complete source.
func (x *Index) Rebuild(ctx context.Context, fill func(ctx context.Context, w Writer) error) (string, error) {
	// The template may have changed since the old index was made.
	if err := x.ensureTemplate(ctx); err != nil {
		return "", err
	}
	name := x.newIndexName()
	res, err := x.es.Indices.Create(name, x.es.Indices.Create.WithContext(ctx))
	if err := check(res, err, "create index %s", name); err != nil {
		return "", err
	}
	abandon := func(cause error) (string, error) {
		res, err := x.es.Indices.Delete([]string{name}, x.es.Indices.Delete.WithContext(context.WithoutCancel(ctx)))
		if derr := check(res, err, "delete abandoned index %s", name); derr != nil {
			x.log.Error("could not delete the abandoned index", "index", name, "err", derr)
		}
		return "", cause
	}
	if err := fill(ctx, writerTo{x, name}); err != nil {
		return abandon(fmt.Errorf("rebuild %s: %w", name, err))
	}
	res, err = x.es.Indices.Refresh(x.es.Indices.Refresh.WithIndex(name), x.es.Indices.Refresh.WithContext(ctx))
	if err := check(res, err, "refresh %s", name); err != nil {
		return abandon(err)
	}
	old, err := x.aliasTargets(ctx)
	if err != nil {
		return abandon(err)
	}
	actions := []any{map[string]any{"add": map[string]any{"index": name, "alias": x.alias}}}
	for _, o := range old {
		actions = append(actions, map[string]any{"remove": map[string]any{"index": o, "alias": x.alias}})
	}
	body, _ := json.Marshal(map[string]any{"actions": actions})
	res, err = x.es.Indices.UpdateAliases(strings.NewReader(string(body)), x.es.Indices.UpdateAliases.WithContext(ctx))
	if err := check(res, err, "move alias %s to %s", x.alias, name); err != nil {
		return abandon(err)
	}
	x.log.Info("alias moved", "alias", x.alias, "to", name, "from", old)
	if len(old) > 0 {
		res, err = x.es.Indices.Delete(old, x.es.Indices.Delete.WithContext(ctx))
		if err := check(res, err, "delete old indices %v", old); err != nil {
			// The swap happened; a leftover index wastes disk, loses nothing.
			x.log.Warn("old indices not deleted", "indices", old, "err", err)
		}
	}
	return name, nil
}

// Drop deletes the alias's indices and the template: tests clean up with it.
func (x *Index) Drop(ctx context.Context) error {
	old, err := x.aliasTargets(ctx)
	if err != nil {
		return err
	}
	if len(old) > 0 {
		res, err := x.es.Indices.Delete(old, x.es.Indices.Delete.WithContext(ctx))
		if err := check(res, err, "delete indices %v", old); err != nil {
			return err
		}
	}
	res, err := x.es.Indices.DeleteIndexTemplate(x.templateName(), x.es.Indices.DeleteIndexTemplate.WithContext(ctx))
	return check(res, err, "delete template %s", x.templateName())
}

// Reindex rebuilds the index from the entries it holds: every stored record
// and document-status entry is read back through the alias (Scan, pages of
// 500 by id) and put into a new index made from the current template, then
// the alias is swapped. It is how a template change (MappingVersion) reaches
// existing data without re-reading the source files.
func (x *Index) Reindex(ctx context.Context) (string, error) {
	if err := x.Refresh(ctx); err != nil {
		return "", err
	}
	return x.Rebuild(ctx, func(ctx context.Context, w Writer) error {
		const pageSize = 500
		batch := make([]registre.Record, 0, pageSize)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			put, err := w.PutRecords(ctx, batch)
			if err != nil {
				return err
			}
			if len(put.Failures) > 0 {
				// A record the new template refuses would be lost by
				// the swap: abandon instead.
				f := put.Failures[0]
				return fmt.Errorf("%d records refused by the new index, first %s: %s", len(put.Failures), f.ID, f.Reason)
			}
			batch = batch[:0]
			return nil
		}
		for _, kind := range []string{index.KindRecord, index.KindDocumentStatus} {
			err := x.Scan(ctx, index.ScanOptions{Kind: kind, PageSize: pageSize}, func(r *registre.Record) error {
				batch = append(batch, *r)
				if len(batch) == pageSize {
					return flush()
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return flush()
	})
}
