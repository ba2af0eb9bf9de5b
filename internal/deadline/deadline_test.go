package deadline

import (
	"strings"
	"testing"
	"time"
)

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		in      string
		want    Policy
		wantErr bool
	}{
		{"", Default, false},
		{"48h business", Policy{WorkingDays, 48}, false}, // stored by earlier versions
		{"24h", Policy{Clock, 24}, false},
		{" 72H Ouvrées ", Policy{WorkingDays, 72}, false},
		{"48h working_days", Policy{WorkingDays, 48}, false},
		{"24h clock", Policy{Clock, 24}, false},
		{"8h opening_hours", Policy{OpeningHours, 8}, false},
		{"48", Policy{}, true},
		{"0h", Policy{}, true},
		{"-3h", Policy{}, true},
		{"2161h", Policy{}, true},
		{"24h weekend", Policy{}, true},
		{"24h business extra", Policy{}, true},
	}
	for _, tt := range tests {
		got, err := ParsePolicy(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParsePolicy(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			if back, _ := ParsePolicy(got.String()); back != got {
				t.Errorf("ParsePolicy(String(%v)) = %v", got, back)
			}
		}
	}
}

func mustNew(t *testing.T, s Spec) *Calendar {
	t.Helper()
	c, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDue is the deadline arithmetic, in each calendar's own wall clock.
func TestDue(t *testing.T) {
	fr, de := France(), Germany()
	closing := FranceSpec
	closing.Closures = []Closure{{From: "2026-12-24", To: "2026-12-26", Label: "fermeture de Noël"}}
	closed := mustNew(t, closing)
	wd := func(h int) Policy { return Policy{WorkingDays, h} }
	clock := func(h int) Policy { return Policy{Clock, h} }
	open := func(h int) Policy { return Policy{OpeningHours, h} }
	tests := []struct {
		name string
		c    *Calendar
		from string
		p    Policy
		want string
	}{
		{"around the clock includes weekends", fr, "2026-11-20 10:00", clock(24), "2026-11-21 10:00"},
		{"working days on weekdays", fr, "2026-11-23 10:00", wd(48), "2026-11-25 10:00"},
		{"friday skips the weekend", fr, "2026-11-20 10:00", wd(48), "2026-11-24 10:00"},
		{"a saturday message starts on monday", fr, "2026-11-21 15:00", wd(48), "2026-11-25 00:00"},
		{"14 July skipped", fr, "2026-07-13 09:00", wd(24), "2026-07-15 09:00"},
		{"a message on 14 July starts the next day", fr, "2026-07-14 11:00", wd(24), "2026-07-16 00:00"},
		{"14 July is no holiday in Germany", de, "2026-07-13 09:00", wd(24), "2026-07-14 09:00"},
		{"German Day of Unity skipped (Friday 3 October 2025)", de, "2025-10-02 10:00", wd(24), "2025-10-06 10:00"},
		{"German Day of Unity, 48 h", de, "2025-10-02 10:00", wd(48), "2025-10-07 10:00"},
		{"3 October is worked in France", fr, "2025-10-02 10:00", wd(24), "2025-10-03 10:00"},
		{"Whit Monday skipped in Germany", de, "2026-05-22 10:00", wd(24), "2026-05-26 10:00"},
		{"Whit Monday skipped in France", fr, "2026-05-22 10:00", wd(24), "2026-05-26 10:00"},
		{"to summer time, around the clock: 24 real hours", fr, "2026-03-28 12:00", clock(24), "2026-03-29 13:00"},
		{"to summer time, working days", fr, "2026-03-27 12:00", wd(24), "2026-03-30 12:00"},
		{"to summer time, opening hours keep their wall clock", fr, "2026-03-27 17:00", open(8), "2026-03-30 18:00"},
		{"to winter time, around the clock", fr, "2026-10-24 12:00", clock(24), "2026-10-25 11:00"},
		{"to winter time, opening hours", fr, "2026-10-23 16:00", open(8), "2026-10-26 17:00"},
		{"a message after closing time waits for the morning", fr, "2026-11-23 20:00", open(8), "2026-11-25 10:00"},
		{"a message at lunch starts at 14:00", fr, "2026-11-23 12:30", open(2), "2026-11-23 16:00"},
		{"a message before opening", fr, "2026-11-23 07:00", open(3), "2026-11-23 12:00"},
		{"opening hours skip a holiday (11 November)", fr, "2026-11-10 17:00", open(8), "2026-11-12 18:00"},
		{"opening hours skip the weekend", fr, "2026-11-06 17:00", open(9), "2026-11-10 10:00"},
		{"without the closure", fr, "2026-12-23 10:00", wd(24), "2026-12-24 10:00"},
		{"a company closure is not counted", closed, "2026-12-23 10:00", wd(24), "2026-12-28 10:00"},
		{"a message during the closure", closed, "2026-12-24 10:00", open(7), "2026-12-28 18:00"},
	}
	for _, tt := range tests {
		loc := tt.c.Location()
		from, err := time.ParseInLocation("2006-01-02 15:04", tt.from, loc)
		if err != nil {
			t.Fatal(err)
		}
		want, err := time.ParseInLocation("2006-01-02 15:04", tt.want, loc)
		if err != nil {
			t.Fatal(err)
		}
		got := tt.c.Due(from, tt.p)
		if !got.Equal(want) {
			t.Errorf("%s: Due(%s, %v) = %s; want %s", tt.name, tt.from, tt.p, got.In(loc).Format("2006-01-02 15:04 Mon"), tt.want)
		}
		if got.Location() != time.UTC {
			t.Errorf("%s: Due in %s; want UTC", tt.name, got.Location())
		}
		// What Due counts is what Counted measures back.
		if n := tt.c.Counted(from, got, tt.p.Mode); n != time.Duration(tt.p.Hours)*time.Hour {
			t.Errorf("%s: Counted(from, Due) = %s; want %dh", tt.name, n, tt.p.Hours)
		}
	}
}

func TestCounted(t *testing.T) {
	fr := France()
	sundays := FranceSpec
	sundays.Hours[time.Sunday] = "00:00-24:00"
	openSunday := mustNew(t, sundays)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, fr.Location())
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name     string
		c        *Calendar
		from, to string
		m        Mode
		want     time.Duration
	}{
		{"the spring weekend is 47 real hours", fr, "2026-03-28 00:00", "2026-03-30 00:00", Clock, 47 * time.Hour},
		{"the day summer time starts counts 23 hours", openSunday, "2026-03-29 00:00", "2026-03-30 00:00", WorkingDays, 23 * time.Hour},
		{"the day winter time starts counts 25 hours", openSunday, "2026-10-25 00:00", "2026-10-26 00:00", WorkingDays, 25 * time.Hour},
		{"a weekend counts nothing on working days", fr, "2026-11-21 08:00", "2026-11-23 00:00", WorkingDays, 0},
		{"a day's opening hours", fr, "2026-11-23 00:00", "2026-11-24 00:00", OpeningHours, 7 * time.Hour},
		{"backwards is nothing", fr, "2026-11-24 00:00", "2026-11-23 00:00", Clock, 0},
	}
	for _, tt := range tests {
		if got := tt.c.Counted(at(tt.from), at(tt.to), tt.m); got != tt.want {
			t.Errorf("%s: Counted = %s; want %s", tt.name, got, tt.want)
		}
	}
}

func TestOpen(t *testing.T) {
	fr := France()
	tests := []struct {
		at   string
		want bool
	}{
		{"2026-11-23 10:00", true},
		{"2026-11-23 09:00", true},
		{"2026-11-23 12:00", false}, // a range ends before its last minute
		{"2026-11-23 13:00", false},
		{"2026-11-23 20:00", false},
		{"2026-11-21 10:00", false}, // Saturday
		{"2026-07-14 10:00", false}, // a holiday
	}
	for _, tt := range tests {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", tt.at, fr.Location())
		if got := fr.Open(tm); got != tt.want {
			t.Errorf("Open(%s) = %v; want %v", tt.at, got, tt.want)
		}
	}
	if got := fr.Holiday(time.Date(2026, 7, 14, 12, 0, 0, 0, fr.Location())); got != "Fête Nationale" {
		t.Errorf("Holiday(14 July) = %q", got)
	}
}

func TestNewRefusesBadSpecs(t *testing.T) {
	week := FranceSpec.Hours
	tests := []struct {
		name string
		s    Spec
		want string
	}{
		{"no zone", Spec{Hours: week, Country: "fr"}, "fuseau horaire obligatoire"},
		{"unknown zone", Spec{TimeZone: "Europe/Lutece", Hours: week}, "fuseau horaire inconnu"},
		{"never open", Spec{TimeZone: "Europe/Paris"}, "au moins une plage"},
		{"bad range", Spec{TimeZone: "Europe/Paris", Hours: [7]string{1: "9h-12h"}}, "lundi : plage"},
		{"reversed range", Spec{TimeZone: "Europe/Paris", Hours: [7]string{2: "18:00-09:00"}}, "la fin doit suivre"},
		{"overlapping ranges", Spec{TimeZone: "Europe/Paris", Hours: [7]string{3: "09:00-13:00, 12:00-18:00"}}, "chevaucher"},
		{"25 o'clock", Spec{TimeZone: "Europe/Paris", Hours: [7]string{4: "09:00-25:00"}}, "plage"},
		{"unknown country", Spec{TimeZone: "Europe/Paris", Hours: week, Country: "xx"}, "pays inconnu"},
		{"bad closure", Spec{TimeZone: "Europe/Paris", Hours: week, Closures: []Closure{{From: "24/12", To: "2026-12-26"}}}, "AAAA-MM-JJ"},
		{"reversed closure", Spec{TimeZone: "Europe/Paris", Hours: week, Closures: []Closure{{From: "2026-12-26", To: "2026-12-24"}}}, "précède"},
	}
	for _, tt := range tests {
		_, err := New(tt.s)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New = %v; want an error with %q", tt.name, err, tt.want)
		}
	}
	for _, c := range Countries {
		if _, err := New(Spec{TimeZone: "Europe/Berlin", Hours: week, Country: c.Code}); err != nil {
			t.Errorf("country %q: %v", c.Code, err)
		}
	}
}

// A calendar open one hour a week still ends the longest policy's walk.
func TestDueOnASparseCalendar(t *testing.T) {
	c := mustNew(t, Spec{TimeZone: "UTC", Hours: [7]string{3: "10:00-11:00"}})
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	got := c.Due(from, Policy{OpeningHours, 3})
	if want := time.Date(2026, 1, 21, 11, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Due = %s; want %s", got, want)
	}
}
