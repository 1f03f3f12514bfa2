// Package review is the web app for analysts and reviewers: French full-text
// search with facets, record pages with each value's evidence, corrections
// and flag decisions kept in the overlay store, exports, and the JSON API
// behind the pages.
//
// The server never holds the search index open between requests: it opens
// it per request, so that `registre ingest` can write the same data dir while
// the server runs. Machine values stay in the index; the overlay is applied
// on the way out (pages, API, exports).
package review

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"registre"
	"registre/index"
	"registre/overlay"
)

// Opener opens the search index for the length of one request.
type Opener func(ctx context.Context) (index.Index, error)

// Config configures a Server.
type Config struct {
	Open    Opener
	Overlay *overlay.Store
	Logger  *slog.Logger
	// PublicRead lets anonymous requests read (search, records, exports);
	// writes always need a reviewer.
	PublicRead bool
	// MaxBody caps request bodies (default 1 MiB).
	MaxBody int64
	// Now is the clock (tests).
	Now func() time.Time
}

// Server is the web app.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	sessions sessions
	sources  *sourceCache
}

// New returns the web app's handler.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), sessions: sessions{m: map[string]session{}}, sources: newSourceCache(8)}
	s.routes()
	return s
}

func (s *Server) routes() {
	// JSON API.
	s.mux.HandleFunc("GET /api/search", s.read(s.apiSearch))
	s.mux.HandleFunc("GET /api/records/{id}", s.read(s.apiRecord))
	s.mux.HandleFunc("PATCH /api/records/{id}", s.write(s.apiPatch))
	s.mux.HandleFunc("POST /api/records/{id}/flags/{code}/{action}", s.write(s.apiFlag))
	s.mux.HandleFunc("GET /api/records/{id}/history", s.read(s.apiHistory))
	s.mux.HandleFunc("GET /api/review-queue", s.read(s.apiQueue))
	for _, ext := range []string{"csv", "xlsx", "json"} {
		s.mux.HandleFunc("GET /api/export."+ext, s.read(s.export(ext)))
		s.mux.HandleFunc("GET /export."+ext, s.read(s.export(ext)))
	}
	// Pages.
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.login)
	s.mux.HandleFunc("POST /logout", s.logout)
	s.mux.HandleFunc("GET /{$}", s.read(s.searchPage))
	s.mux.HandleFunc("GET /records/{id}", s.read(s.recordPage))
	s.mux.HandleFunc("GET /records/{id}/source", s.read(s.sourceFile))
	s.mux.HandleFunc("POST /records/{id}/edit", s.write(s.editForm))
	s.mux.HandleFunc("POST /records/{id}/flags/{code}/{action}", s.write(s.flagForm))
	s.mux.HandleFunc("GET /queue", s.read(s.queuePage))
	s.mux.HandleFunc("GET /dashboard", s.read(s.dashboardPage))
	s.mux.HandleFunc("GET /register.html", s.read(s.publicRegister))
	s.mux.HandleFunc("GET /static/app.js", s.static)
}

// ServeHTTP implements http.Handler with the headers every answer needs.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	s.mux.ServeHTTP(w, r)
}

// ---- authentication and authorisation ----

type userKey struct{}

// principal is who makes a request, and whether through a bearer token (no
// CSRF token needed) or a session cookie (forms carry a CSRF token).
type principal struct {
	overlay.User
	bearer bool
	csrf   string
}

func (s *Server) who(r *http.Request) (principal, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return principal{}, false
		}
		u, err := s.cfg.Overlay.Authenticate(strings.TrimSpace(tok))
		if err != nil {
			return principal{}, false
		}
		return principal{User: u, bearer: true}, true
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if sess, ok := s.sessions.get(c.Value, s.cfg.Now()); ok {
			return principal{User: sess.user, csrf: sess.csrf}, true
		}
	}
	return principal{}, false
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// unauthorised answers 401, decided before any other check: the API gets
// JSON, a browser is sent to the login page.
func (s *Server) unauthorised(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) || r.Method != http.MethodGet {
		w.Header().Set("WWW-Authenticate", `Bearer realm="registre"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "authentification requise"})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	s.render(w, "login", map[string]any{"Next": r.URL.RequestURI(), "Error": ""})
}

// read wraps handlers that read: any signed-in user, or anyone with
// PublicRead.
func (s *Server) read(h func(http.ResponseWriter, *http.Request, principal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.who(r)
		if !ok && !s.cfg.PublicRead {
			s.unauthorised(w, r)
			return
		}
		h(w, r, p)
	}
}

// write wraps handlers that change the overlay: reviewers only, and forms
// sent with a session cookie must carry the session's CSRF token.
func (s *Server) write(h func(http.ResponseWriter, *http.Request, principal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.who(r)
		if !ok {
			s.unauthorised(w, r)
			return
		}
		if p.Role != overlay.RoleReviewer {
			s.fail(w, r, http.StatusForbidden, errors.New("réservé aux relecteurs (rôle reviewer)"))
			return
		}
		if !p.bearer {
			tok := r.Header.Get("X-CSRF-Token")
			if tok == "" {
				tok = r.PostFormValue("csrf")
			}
			if subtle.ConstantTimeCompare([]byte(tok), []byte(p.csrf)) != 1 || p.csrf == "" {
				s.fail(w, r, http.StatusForbidden, errors.New("jeton CSRF absent ou invalide"))
				return
			}
		}
		h(w, r, p)
	}
}

const sessionCookie = "registre_session"

type session struct {
	user    overlay.User
	csrf    string
	expires time.Time
}

// sessions are kept in memory: a restart signs everyone out, which is what
// a token-based login wants anyway.
type sessions struct {
	mu sync.Mutex
	m  map[string]session
}

func (ss *sessions) get(id string, now time.Time) (session, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[id]
	if !ok || now.After(s.expires) {
		delete(ss.m, id)
		return session{}, false
	}
	return s, true
}

func (ss *sessions) add(u overlay.User, now time.Time) (id string, s session) {
	id, csrf := randomToken(), randomToken()
	s = session{user: u, csrf: csrf, expires: now.Add(12 * time.Hour)}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, v := range ss.m {
		if now.After(v.expires) {
			delete(ss.m, k)
		}
	}
	ss.m[id] = s
	return id, s
}

func (ss *sessions) remove(id string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, id)
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the OS has no entropy: nothing sane to do
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, "login", map[string]any{"Next": r.URL.Query().Get("next"), "Error": ""})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimSpace(r.PostFormValue("token"))
	next := r.PostFormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	u, err := s.cfg.Overlay.Authenticate(tok)
	if err != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, "login", map[string]any{"Next": next, "Error": "Jeton inconnu."})
		return
	}
	id, _ := s.sessions.add(u, s.cfg.Now())
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: 12 * 3600})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.remove(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// ---- helpers ----

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// fail answers an error in the caller's language: JSON for the API, a page
// for a browser.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status >= 500 {
		s.cfg.Logger.Error("request failed", "path", r.URL.Path, "err", err)
	}
	if isAPI(r) || strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	s.render(w, "error", map[string]any{"Status": status, "Error": err.Error()})
}

// withIndex opens the index for the length of fn.
func (s *Server) withIndex(ctx context.Context, fn func(index.Index) error) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ix, err := s.cfg.Open(ctx)
	if err != nil {
		return fmt.Errorf("index indisponible (une ingestion est peut-être en cours) : %w", err)
	}
	defer ix.Close()
	return fn(ix)
}

// record returns a record with its overlay applied, and the machine record.
func (s *Server) record(ctx context.Context, id string) (rec, machine registre.Record, o overlay.Overlay, err error) {
	err = s.withIndex(ctx, func(ix index.Index) error {
		r, err := ix.Get(ctx, id)
		if err != nil {
			return err
		}
		machine = *r
		return nil
	})
	if err != nil {
		return
	}
	o, err = s.cfg.Overlay.Load(id)
	if err != nil {
		return
	}
	rec, _, _ = o.Apply(machine)
	return
}

func statusOf(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, index.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, overlay.ErrUnknownField), errors.Is(err, overlay.ErrBadValue):
		return http.StatusBadRequest
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}
