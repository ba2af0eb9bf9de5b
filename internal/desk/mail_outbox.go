package desk

import "context"

// maxReferences bounds the References our emails carry.
const maxReferences = 20

// mailThreading fills, for a reply sent by email (the Email thread of any
// ticket, or any thread of an email channel's ticket), the Message-IDs it
// answers: the customer's last message on the thread, then the thread's
// other messages, newest first.
func mailThreading(ctx context.Context, tx Tx, o *Outgoing) error {
	if o.Thread.Kind != ThreadEmail {
		ch, err := tx.ChannelByID(ctx, o.Ticket.ChannelID)
		if err != nil {
			return err
		}
		if ch.Kind != ChannelEmail && ch.Kind != ChannelAmazon {
			return nil
		}
	}
	msgs, err := tx.Messages(ctx, o.Ticket.ID)
	if err != nil {
		return err
	}
	for i := len(msgs) - 1; i >= 0 && len(o.References) < maxReferences; i-- {
		m := msgs[i]
		if m.ThreadID != o.Message.ThreadID || m.SourceID == "" || m.ID == o.Message.ID || m.Internal {
			continue
		}
		if o.InReplyTo == "" && m.Direction == In {
			o.InReplyTo = m.SourceID
		}
		o.References = append(o.References, m.SourceID)
	}
	return nil
}
