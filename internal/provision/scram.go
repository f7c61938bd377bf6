package provision

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// scramIterations is PostgreSQL's default scram_iterations.
const scramIterations = 4096

// scramVerifier returns the SCRAM-SHA-256 verifier of a password in the
// form pg_authid stores it (RFC 7677, as PostgreSQL's own
// PQencryptPasswordConn writes it), with a fresh random salt. ALTER ROLE ...
// PASSWORD with a verifier stores it as it is: the password's text never
// reaches the server, its statement log or pg_stat_statements.
//
// Like PostgreSQL, the password is normalised (NFKC, the core of SASLprep)
// when it is valid UTF-8, and used as it is otherwise.
func scramVerifier(password string) (string, error) {
	if password == "" {
		return "", fmt.Errorf("is empty: a login role needs a password of at least one character")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return scramVerifierWithSalt(password, salt)
}

func scramVerifierWithSalt(password string, salt []byte) (string, error) {
	if utf8.ValidString(password) {
		password = norm.NFKC.String(password)
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt, scramIterations, sha256.Size)
	if err != nil {
		return "", err
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	stored := sha256.Sum256(mac(salted, "Client Key"))
	server := mac(salted, "Server Key")
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", scramIterations, b64(salt), b64(stored[:]), b64(server)), nil
}
