package overlay

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Roles.
const (
	RoleAnalyst  = "analyst"  // reads
	RoleReviewer = "reviewer" // reads and writes
)

// User is someone with an API token. Only the token's hash is stored.
type User struct {
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	TokenHash string    `json:"token_hash"`
	Created   time.Time `json:"created"`
}

// ErrBadToken is returned for a token no user has.
var ErrBadToken = errors.New("unknown or revoked token")

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// AddUser creates (or replaces) a user and returns a new token, shown once.
func (s *Store) AddUser(name, role string) (string, error) {
	if name == "" {
		return "", errors.New("user name is empty")
	}
	if role != RoleAnalyst && role != RoleReviewer {
		return "", fmt.Errorf("unknown role %q (analyst or reviewer)", role)
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	tok := "rgt_" + base64.RawURLEncoding.EncodeToString(raw)
	u := User{Name: name, Role: role, TokenHash: hashToken(tok), Created: s.now().UTC()}
	data, err := json.Marshal(u)
	if err != nil {
		return "", err
	}
	err = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bUsers).Put([]byte(name), data) })
	return tok, err
}

// Authenticate returns the user a token belongs to.
func (s *Store) Authenticate(tok string) (User, error) {
	if tok == "" {
		return User{}, ErrBadToken
	}
	h := hashToken(tok)
	var found *User
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bUsers).ForEach(func(k, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			if subtle.ConstantTimeCompare([]byte(u.TokenHash), []byte(h)) == 1 {
				found = &u
			}
			return nil
		})
	})
	if err != nil {
		return User{}, err
	}
	if found == nil {
		return User{}, ErrBadToken
	}
	return *found, nil
}
