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
// The users, patterns and commands are those of PlanRedis, which the
// tenant_redis resource applies without reset.
func (g *generator) redis(e *Engine) (string, error) {
	p, err := g.planRedis(e)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, u := range p.Users {
		b.WriteString("ACL SETUSER ")
		b.WriteString(u.Name)
		b.WriteString(" reset on resetpass resetkeys")
		for _, k := range u.KeyPatterns {
			b.WriteString(" ")
			b.WriteString(k)
		}
		b.WriteString(" resetchannels -@all")
		for _, c := range u.Commands {
			b.WriteString(" +")
			b.WriteString(c)
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}
