package neterr

import (
	"fmt"
	"strings"

	"servicedesk/internal/model"
)

// CheckSettings refuses connection settings that cannot work, before any
// connection is made: no host, a port outside 1..65535, an unknown security
// mode, or plain text (model.SecurityNone) to a host that is not this computer.
func CheckSettings(service, host string, port int, security string) error {
	switch {
	case strings.TrimSpace(host) == "":
		return Invalid(service, "no host is set")
	case port <= 0 || port > 65535:
		return Invalid(service, fmt.Sprintf("the port %d is not valid%s", port, portHint(service)))
	case security != model.SecurityTLS && security != model.SecuritySTARTTLS && security != model.SecurityNone:
		return Invalid(service, fmt.Sprintf("the security %q is not one of tls, starttls or none", security))
	case security == model.SecurityNone && !IsLoopback(host):
		return InsecureRefused(service, Addr(host, port))
	}
	return nil
}
