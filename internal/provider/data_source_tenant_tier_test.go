package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func strs(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// The tier data source carries the figures of the product's tier table.
func TestAccTenantTierDataSource(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		rank                    int64
		maxUsers, apiCalls      int64
		storage                 float64
		connections             int64
		engines                 map[string]float64 // engine -> cpu_cores ceiling
		support                 string
		responseHours           knownvalue.Check
		monitoring, qos         string
		backup                  bool
		full, incr              knownvalue.Check
		pitr, encryption, audit bool
		regulations             knownvalue.Check
	}{
		{"free", 1, 10, 10000, 1, 5, map[string]float64{"postgresql": 0.25, "mongodb": 0.25, "redis": 0.1},
			"community", knownvalue.Null(), "basic", "low", false, knownvalue.Null(), knownvalue.Null(), false, false, false, strs()},
		{"standard", 2, 1000, 1000000, 100, 100, map[string]float64{"postgresql": 2, "mongodb": 2, "redis": 1},
			"standard", knownvalue.Int64Exact(24), "standard", "normal", true, knownvalue.StringExact("0 2 * * 0"), knownvalue.StringExact("0 2 * * 1-6"), false, false, false, strs("GDPR")},
		{"premium", 3, 10000, 10000000, 1000, 500, map[string]float64{"postgresql": 8, "mongodb": 8, "redis": 4, "clickhouse": 4, "elasticsearch": 4},
			"priority", knownvalue.Int64Exact(4), "premium", "high", true, knownvalue.StringExact("0 1 * * 0"), knownvalue.StringExact("0 */6 * * *"), true, false, true, strs("GDPR", "SOX", "HIPAA")},
		{"enterprise", 4, 100000, 100000000, 10000, 1000, map[string]float64{"postgresql": 32, "mongodb": 32, "redis": 16, "clickhouse": 16, "elasticsearch": 16, "timescaledb": 8},
			"dedicated", knownvalue.Int64Exact(1), "enterprise", "highest", true, knownvalue.StringExact("0 1 * * 0"), knownvalue.StringExact("0 */6 * * *"), true, true, true, strs("GDPR", "SOX", "HIPAA", "PCI-DSS")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := "data.tenant_tier.t"
			checks := []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("rank"), knownvalue.Int64Exact(tc.rank)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("limits"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"max_users": knownvalue.Int64Exact(tc.maxUsers), "storage_gb": knownvalue.Float64Exact(tc.storage),
					"api_calls_per_month": knownvalue.Int64Exact(tc.apiCalls), "db_connections": knownvalue.Int64Exact(tc.connections),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("databases"), knownvalue.MapSizeExact(len(tc.engines))),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("support"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"level": knownvalue.StringExact(tc.support), "response_time_hours": tc.responseHours,
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("monitoring_level"), knownvalue.StringExact(tc.monitoring)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("qos_priority"), knownvalue.StringExact(tc.qos)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("backup").AtMapKey("enabled"), knownvalue.Bool(tc.backup)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("backup").AtMapKey("full_schedule"), tc.full),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("backup").AtMapKey("incremental_schedule"), tc.incr),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("backup").AtMapKey("point_in_time_recovery"), knownvalue.Bool(tc.pitr)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("encryption_required"), knownvalue.Bool(tc.encryption)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("audit_required"), knownvalue.Bool(tc.audit)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("regulations"), tc.regulations),
			}
			for engine, cores := range tc.engines {
				checks = append(checks, statecheck.ExpectKnownValue(ds, tfjsonpath.New("databases").AtMapKey(engine).AtMapKey("cpu_cores"), knownvalue.Float64Exact(cores)))
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            fmt.Sprintf(`data "tenant_tier" "t" { name = %q }`, tc.name),
					ConfigStateChecks: checks,
				}},
			})
		})
	}
}

func TestAccTenantTierDataSource_ceilingDetails(t *testing.T) {
	ds := "data.tenant_tier.t"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `data "tenant_tier" "t" { name = "standard" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("databases").AtMapKey("postgresql"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"cpu_cores": knownvalue.Float64Exact(2), "memory_gb": knownvalue.Float64Exact(8), "storage_gb": knownvalue.Float64Exact(100),
						"max_connections": knownvalue.Int64Exact(100), "iops": knownvalue.Int64Exact(1000),
						"deployment": knownvalue.StringExact("dedicated"), "isolation": knownvalue.StringExact("schema"),
					})),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("databases").AtMapKey("mongodb").AtMapKey("iops"), knownvalue.Null()),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("databases").AtMapKey("redis").AtMapKey("memory_gb"), knownvalue.Float64Exact(1)),
				},
			},
			{
				Config:      `data "tenant_tier" "t" { name = "standrd" }`,
				ExpectError: expectError(`Unknown tier "standrd"`, `Did you mean "standard"?`),
			},
		},
	})
}

func TestAccTenantTiersDataSource(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `data "tenant_tiers" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.tenant_tiers.all", tfjsonpath.New("names"), strs("free", "standard", "premium", "enterprise")),
				statecheck.ExpectKnownValue("data.tenant_tiers.all", tfjsonpath.New("tiers").AtSliceIndex(3).AtMapKey("rank"), knownvalue.Int64Exact(4)),
			},
		}},
	})
}
