package desk_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"guichet/internal/desk"
	"guichet/internal/store/storetest"
)

var (
	benchFirst = strings.Fields("Jean Marie Pierre Sophie Nicolas Camille Julien Émilie Thomas Léa Hugo Chloé Lucas Manon Louis Inès Paul Zoé Arthur Jade " +
		"Gabriel Louise Raphaël Alice Jules Lina Adam Rose Maël Anna Sacha Mila Nathan Ambre Ethan Julia Noah Léna Victor Eva")
	benchLast = strings.Fields("Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux David Bertrand " +
		"Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier " +
		"François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire")
)

// customerCSV makes n lines of the shop's CSV, ids from 1, names from
// French lists (with a rare one every 10 000 lines).
func customerCSV(n int) []byte {
	r := rand.New(rand.NewPCG(12, 34))
	var b strings.Builder
	b.Grow(n * 110)
	b.WriteString(desk.CustomerCSVHeader + "\n")
	start := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		last := benchLast[r.IntN(len(benchLast))]
		if i%10000 == 0 {
			last = "Xylander" + strconv.Itoa(i)
		}
		reg := start.Add(time.Duration(r.IntN(14*365*24)) * time.Hour)
		visit := ""
		if r.IntN(3) > 0 {
			visit = reg.Add(time.Duration(r.IntN(9000)) * time.Hour).Format("2006-01-02 15:04:05")
		}
		age := "-"
		if r.IntN(2) == 0 {
			age = strconv.Itoa(18 + r.IntN(60))
		}
		fmt.Fprintf(&b, "%d;%d;%s;%s;client%d@example.com;%s;%d;%d;%d;%s;%s;\n", i, 1+r.IntN(2), last, benchFirst[r.IntN(len(benchFirst))],
			i, age, boolDigit(r.IntN(10) > 0), boolDigit(r.IntN(3) == 0), boolDigit(r.IntN(5) == 0), reg.Format("2006-01-02 15:04:05"), visit)
	}
	return []byte(b.String())
}

// processCPU is the CPU time this process used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func boolDigit(b bool) int {
	if b {
		return 1
	}
	return 0
}

func benchSize(env string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(env)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkCustomerImport imports GUICHET_BENCH_IMPORT (100 000) customers
// from a CSV file into an empty shop, through the import's use cases
// (preview, then the background run), and reports lines/s.
//
//	go test ./internal/desk -run '^$' -bench CustomerImport -benchtime 1x
func BenchmarkCustomerImport(b *testing.B) {
	n := benchSize("GUICHET_BENCH_IMPORT", 100_000)
	data := customerCSV(n)
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				f := newFixture(b, e.Open(b))
				b.StartTimer()
				server0 := serverCPU(b, f.s.DB())
				start, cpu0 := time.Now(), processCPU()
				im, err := f.d.PreviewCustomerImport(ctx, f.lea, f.shop.ID, "clients.csv", data)
				if err != nil {
					b.Fatal(err)
				}
				preview := time.Since(start)
				if err := f.d.StartCustomerImport(ctx, f.lea, im.ID); err != nil {
					b.Fatal(err)
				}
				if err := f.d.RunCustomerImport(ctx, im.ID); err != nil {
					b.Fatal(err)
				}
				took := time.Since(start)
				b.ReportMetric(float64(n)/took.Seconds(), "lines/s")
				// The machine is shared: the process's own CPU time says
				// what the import costs (SQLite runs in it; PostgreSQL does not).
				b.ReportMetric((processCPU() - cpu0).Seconds(), "cpu-s")
				if server0 != nil { // PostgreSQL's own, when it runs here
					b.ReportMetric(serverCPUSince(server0, serverCPU(b, f.s.DB())).Seconds(), "server-cpu-s")
				}
				b.ReportMetric(preview.Seconds()*1000, "preview-ms")
				im, _ = f.d.CustomerImportStatus(ctx, f.lea, im.ID)
				if im.Done != n || im.State != desk.ImportDone {
					b.Fatalf("import %+v", im)
				}
			}
		})
	}
}

// chunkCSV is how many lines the directory's benchmark loads at once.
const chunkCSV = 100_000

// BenchmarkCustomerDirectory fills GUICHET_BENCH_CUSTOMERS (1 000 000)
// customers, then times the directory's pages and searches, each a
// sub-benchmark (ns/op is one page of 50).
//
//	go test ./internal/desk -run '^$' -bench CustomerDirectory -benchtime 200x -timeout 60m
func BenchmarkCustomerDirectory(b *testing.B) {
	for _, e := range storetest.Engines() {
		n := benchSize("GUICHET_BENCH_CUSTOMERS", 1_000_000)
		if e.Name == "postgres" {
			n = benchSize("GUICHET_BENCH_CUSTOMERS_PG", n)
		}
		b.Run(e.Name, func(b *testing.B) {
			f := newFixture(b, e.Open(b))
			start := time.Now()
			const chunk = chunkCSV
			for from := 0; from < n; from += chunk {
				data := customerCSV(min(chunk, n-from))
				good, _, _, err := desk.ParseCustomerCSV(data)
				if err != nil {
					b.Fatal(err)
				}
				batch := make([]desk.Customer, len(good))
				for i, g := range good {
					c := g.Customer
					id, _ := strconv.Atoi(c.ExternalID)
					c.ExternalID, c.ChannelID, c.CreatedAt = strconv.Itoa(from+id), f.shop.ID, monday
					c.Email = "client" + c.ExternalID + "@example.com"
					c.RealEmail = c.Email
					batch[i] = c
				}
				err = f.s.Write(ctx, func(tx desk.Tx) error { _, err := tx.UpsertShopCustomers(ctx, batch); return err })
				if err != nil {
					b.Fatal(err)
				}
			}
			if e.Name == "postgres" { // what autovacuum does; guichet never analyzes SQLite
				f.s.DB().ExecContext(ctx, "ANALYZE customers")
				f.s.DB().ExecContext(ctx, "ANALYZE customer_identities")
			}
			b.Logf("%s: %d customers loaded in %s", e.Name, n, time.Since(start).Round(time.Second))
			yes := true
			mid := strconv.Itoa(n / 2)
			cases := []struct {
				name string
				f    desk.CustomerFilter
				deep bool // page 2000 rows in
			}{
				{"first page by id", desk.CustomerFilter{}, false},
				{"deep page by id", desk.CustomerFilter{}, true},
				{"page by last name desc", desk.CustomerFilter{Sort: desk.SortCustomerLastName, Desc: true}, true},
				{"page by registration", desk.CustomerFilter{Sort: desk.SortCustomerRegistered}, true},
				{"page by last visit desc", desk.CustomerFilter{Sort: desk.SortCustomerLastVisit, Desc: true}, true},
				{"newsletter, by email", desk.CustomerFilter{Newsletter: &yes, Sort: desk.SortCustomerEmail}, true},
				{"filter last name prefix", desk.CustomerFilter{LastName: "dub"}, false},
				{"search common name", desk.CustomerFilter{Query: "martin"}, false},
				{"search rare name", desk.CustomerFilter{Query: "xylander" + strconv.Itoa(min(n, chunkCSV)/20000*10000)}, false},
				{"search email", desk.CustomerFilter{Query: "client" + mid + "@example.com"}, false},
				{"search id", desk.CustomerFilter{Query: mid}, false},
				{"search ip", desk.CustomerFilter{Query: "82.64.10.3"}, false},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					q := c.f
					if c.deep {
						for range 40 {
							p, err := f.d.Customers(ctx, f.lea, q)
							if err != nil || p.Next == nil {
								b.Fatalf("paging: %v", err)
							}
							q.After = p.Next
						}
					}
					b.ResetTimer()
					for range b.N {
						p, err := f.d.Customers(ctx, f.lea, q)
						if err != nil {
							b.Fatal(err)
						}
						if len(p.Customers) == 0 && !strings.HasPrefix(c.name, "search ip") {
							b.Fatalf("%s: nothing found", c.name)
						}
					}
				})
			}
		})
	}
}

// BenchmarkParseCustomerCSV reads 100 000 lines, checking every field.
func BenchmarkParseCustomerCSV(b *testing.B) {
	data := customerCSV(100_000)
	b.SetBytes(int64(len(data)))
	for range b.N {
		good, bad, _, err := desk.ParseCustomerCSV(data)
		if err != nil || len(good) != 100_000 || len(bad) != 0 {
			b.Fatal(len(good), len(bad), err)
		}
	}
}
