package deadline

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Policy
		wantErr bool
	}{
		{"", Default, false},
		{"48h business", Policy{48, true}, false},
		{"24h", Policy{24, false}, false},
		{" 72H Ouvrées ", Policy{72, true}, false},
		{"48", Policy{}, true},
		{"0h", Policy{}, true},
		{"-3h", Policy{}, true},
		{"24h weekend", Policy{}, true},
		{"24h business extra", Policy{}, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			if back, _ := Parse(got.String()); back != got {
				t.Errorf("Parse(String(%v)) = %v", got, back)
			}
		}
	}
}

func TestDeadline(t *testing.T) {
	c := France()
	paris := c.Location()
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name string
		from string
		p    Policy
		want string
	}{
		{"calendar hours include weekends", "2026-11-20 10:00", Policy{24, false}, "2026-11-21 10:00"},
		{"business hours on weekdays", "2026-11-23 10:00", Policy{48, true}, "2026-11-25 10:00"},
		{"friday skips the weekend", "2026-11-20 10:00", Policy{48, true}, "2026-11-24 10:00"},
		{"saturday starts on monday", "2026-11-21 15:00", Policy{48, true}, "2026-11-25 00:00"},
		{"holiday skipped (11 November)", "2026-11-10 09:00", Policy{24, true}, "2026-11-12 09:00"},
		{"christmas and weekend", "2026-12-24 12:00", Policy{24, true}, "2026-12-28 12:00"},
		{"DST change counts wall hours of business days", "2026-03-27 12:00", Policy{24, true}, "2026-03-30 12:00"},
	}
	for _, tt := range tests {
		got := c.Deadline(at(tt.from), tt.p)
		if want := at(tt.want); !got.Equal(want) {
			t.Errorf("%s: Deadline(%s, %v) = %s; want %s", tt.name, tt.from, tt.p, got.In(paris).Format("2006-01-02 15:04 Mon"), tt.want)
		}
	}
}
