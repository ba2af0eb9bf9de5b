package ui

// IntegrationsTimeout lets tests wait less for a channel that does not answer.
var IntegrationsTimeout = &integrationsTimeout
