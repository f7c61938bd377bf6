package render

import (
	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// TierInfo is what a tier gives a tenant, for the tenant_tier data source:
// the tier's metadata and the figures of the configuration it renders for a
// tenant that overrides nothing. Optional figures are nil when unset.
type TierInfo struct {
	Name               string
	Rank               int64
	Description        string
	Limits             Limits
	Databases          map[string]TierDatabase // the engines the tier offers
	SupportLevel       *string
	ResponseTimeHours  *int64
	MonitoringLevel    *string
	Backup             TierBackup
	EncryptionRequired bool
	AuditRequired      bool
	Regulations        []string
	QoSPriority        *string
}

// TierDatabase is one engine's ceilings on a tier.
type TierDatabase struct {
	CPUCores, MemoryGB, StorageGB *float64
	MaxConnections, IOPS          *int64
	Deployment, Isolation         *string
}

// TierBackup is a tier's backups.
type TierBackup struct {
	Enabled                    bool
	FullSchedule, Incremental  *string
	RetentionDays              *int64
	PointInTimeRecoveryEnabled bool
}

// DescribeTier renders the tier for a sample tenant in environment and
// returns what it gives.
func DescribeTier(cat *catalog.Catalog, t *catalog.Tier, environment string) (TierInfo, Problems) {
	res, ps := RenderSample(cat, t, environment)
	if len(ps) > 0 {
		return TierInfo{}, ps
	}
	cfg := res.Config
	info := TierInfo{
		Name:        t.Name,
		Rank:        int64(t.Rank),
		Description: t.Description,
		Limits: Limits{
			MaxUsers: t.Limits.MaxUsers, StorageGB: t.Limits.StorageGB,
			APICallsPerMonth: t.Limits.APICallsPerMonth, DBConnections: t.Limits.DBConnections,
		},
		Databases:          map[string]TierDatabase{},
		SupportLevel:       stringAt(cfg, "support", "level"),
		ResponseTimeHours:  intAt(cfg, "support", "response_time_hours"),
		MonitoringLevel:    stringAt(cfg, "monitoring", "level"),
		EncryptionRequired: t.Requires.Encryption,
		AuditRequired:      t.Requires.Auditing,
		Regulations:        append([]string{}, t.Regulations...),
		QoSPriority:        stringAt(cfg, "performance_tier", "qos", "priority"),
	}
	for _, e := range t.OfferedEngines() {
		c := t.Ceilings[e]
		info.Databases[e] = TierDatabase{
			CPUCores: c.CPUCores, MemoryGB: c.MemoryGB, StorageGB: c.StorageGB,
			MaxConnections: wholePtr(c.MaxConnections), IOPS: wholePtr(c.IOPS),
			Deployment: stringAt(cfg, "databases", e, "deployment"),
			Isolation:  stringAt(cfg, "databases", e, "isolation"),
		}
	}
	info.Backup.Enabled, _ = lookupOr(cfg, false, "backup", "enabled")
	info.Backup.FullSchedule = stringAt(cfg, "backup", "schedule", "full_backup")
	info.Backup.Incremental = stringAt(cfg, "backup", "schedule", "incremental_backup")
	info.Backup.RetentionDays = intAt(cfg, "backup", "retention_days")
	info.Backup.PointInTimeRecoveryEnabled, _ = lookupOr(cfg, false, "backup", "point_in_time_recovery", "enabled")
	return info, nil
}

func wholePtr(f *float64) *int64 {
	if f == nil {
		return nil
	}
	n := int64(*f)
	return &n
}

func stringAt(cfg map[string]any, keys ...string) *string {
	if v, ok := tree.Lookup(cfg, keys...); ok {
		if s, ok := v.(string); ok {
			return &s
		}
	}
	return nil
}

func intAt(cfg map[string]any, keys ...string) *int64 {
	v, ok := tree.Lookup(cfg, keys...)
	if !ok {
		return nil
	}
	if _, isNum := number(v); !isNum {
		return nil
	}
	n := asInt(v)
	return &n
}
