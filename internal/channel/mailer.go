package channel

import "context"

// The email contract the "mail" branch adds to connector.go, declared here
// identically until it is merged (then this file goes).

// Mailer sends an email that is not a reply on a thread (a ticket forwarded
// outside, an agent's notification). The email connector implements it.
type Mailer interface {
	Mail(ctx context.Context, e Email) (messageID string, err error)
}

// Email is one message for Mailer.
type Email struct {
	To, Cc                       []string
	ReplyTo, Subject, Text, HTML string
	Files                        []File
	InReplyTo                    string
}
