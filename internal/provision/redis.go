package provision

import (
	"strings"
)

// redis writes one ACL SETUSER command per engine user. Each line starts
// from a clean user (reset, then resetpass: no password until one is added
// out of band, so nobody can log in as it before), allows the tenant's key
// prefixes only, no Pub/Sub channel, and -@all then the user's commands.
// Applying a line again resets the user to exactly that, so a tier change
// converges; it also removes the password, which is added again afterwards.
func (g *generator) redis(e *Engine) (string, error) {
	prefixes, err := g.names(Redis, "namespaces", e, checkRedisPrefix)
	if err != nil {
		return "", err
	}
	grants, err := g.grants(Redis, e)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, ug := range grants {
		b.WriteString("ACL SETUSER ")
		b.WriteString(ug.user)
		b.WriteString(" reset on resetpass resetkeys")
		for _, p := range prefixes {
			b.WriteString(" ~")
			b.WriteString(p.name)
			b.WriteString("*")
		}
		b.WriteString(" resetchannels -@all")
		cmds := make([]string, len(ug.privileges))
		for i, c := range ug.privileges {
			cmds[i] = strings.ToLower(c)
		}
		for _, c := range sortedCopy(cmds) {
			b.WriteString(" +")
			b.WriteString(c)
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}
