package ui

import (
	"context"
	"strconv"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// connectionDeps is what a channel's page shows of its connection: the
// settings its kind describes, and its sync.
type connectionDeps struct {
	cs   *channel.Connectors
	sync SyncControl
}

// connectionOutcome is what a connection form came back with.
type connectionOutcome struct {
	Values    map[string]string // typed values, shown again after an error
	Errors    map[string]string
	Tested    bool
	TestError string
	SyncError string
}

type connectionView struct {
	ChannelID int64
	CSRF      string
	Supported bool // the kind has a connector
	KindName  string
	Fields    []settingField
	Errors    map[string]string
	Tested    bool
	TestError string
	Sync      *syncView
	SyncError string
	IntakeURL string
}

type settingField struct {
	Key, Label, Help, Input string // Input: text, url, number, password, select
	Value, Placeholder      string
	Required, Secret, IsSet bool
	Options                 []channel.Option
}

type syncView struct {
	LastRun, LastOK, NextRun, LastError, LastErrorAt string
	LastFetched, Failures                            int
	Fetched                                          int64
	Running, Requested                               bool
	EveryMinutes                                     int
}

func (c connectionDeps) view(ctx context.Context, tr translator, s session, ch desk.Channel, out connectionOutcome) *connectionView {
	v := &connectionView{ChannelID: ch.ID, CSRF: s.CSRF, Errors: out.Errors, Tested: out.Tested, TestError: out.TestError, SyncError: out.SyncError,
		IntakeURL: "/api/v1/channels/" + strconv.FormatInt(ch.ID, 10) + "/messages"}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	var k channel.Kind
	if c.cs != nil {
		k, v.Supported = c.cs.Registry().Kind(ch.Kind)
	}
	if !v.Supported {
		return v
	}
	v.KindName = k.Name
	values, set, err := c.cs.Settings(ctx, ch.ID)
	if err != nil {
		v.Errors["settings"] = channel.Explain(err)
	}
	for _, st := range k.Settings {
		f := settingField{Key: st.Key, Label: st.Label, Help: st.Help, Input: string(st.Kind), Value: values[st.Key],
			Required: st.Required, Secret: st.Secret, IsSet: set[st.Key], Options: st.Options, Placeholder: st.Default}
		if typed, ok := out.Values[st.Key]; ok {
			f.Value = typed
		}
		switch {
		case st.Secret:
			f.Input, f.Value, f.Placeholder = "password", "", ""
			if f.IsSet {
				f.Placeholder = tr.T("conn.secret_kept")
			}
		case st.Kind == channel.SettingBool:
			f.Input, f.Options = "select", []channel.Option{{Value: "true", Label: tr.T("conn.yes")}, {Value: "false", Label: tr.T("conn.no")}}
		}
		v.Fields = append(v.Fields, f)
	}
	if c.sync != nil {
		v.Sync = syncViewOf(ctx, c.sync, ch.ID, k, &v.SyncError)
	}
	return v
}

func syncViewOf(ctx context.Context, sc SyncControl, channelID int64, k channel.Kind, problem *string) *syncView {
	st, err := sc.SyncState(ctx, channelID)
	if err != nil {
		*problem = channel.Explain(err)
		return nil
	}
	every := st.Every
	if every <= 0 {
		every = k.Every
	}
	return &syncView{LastRun: showTime(st.LastRunAt), LastOK: showTime(st.LastOKAt), NextRun: showTime(st.NextRunAt),
		LastError: st.LastError, LastErrorAt: showTime(st.LastErrorAt), LastFetched: st.LastFetched, Failures: st.Failures,
		Fetched: st.Fetched, Running: st.Running, Requested: st.Requested, EveryMinutes: int(every / time.Minute)}
}
