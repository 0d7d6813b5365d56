package ermrest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"

	"github.com/cyclezero/cyclezero/catalog"
)

// kindError is an error kind of this package that refines a catalog kind:
// errors.Is matches both.
type kindError struct {
	msg    string
	parent error
}

func (k kindError) Error() string { return k.msg }
func (k kindError) Unwrap() error { return k.parent }

// ErrUntrustedCertificate is the kind of a failure to verify the server's
// TLS certificate (an unknown or private CA, a certificate for another host
// name, an expired one). Retrying cannot fix it, so it is never retried; it
// is also a catalog.ErrUnreachable for callers that only know those kinds.
var ErrUntrustedCertificate error = kindError{"the server's certificate is not trusted", catalog.ErrUnreachable}

// certificateProblem says what is wrong with the server's certificate when
// err is a TLS verification failure.
func certificateProblem(err error) (string, bool) {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknown):
		return "it is signed by an authority this machine does not trust (" + unknown.Error() + ")", true
	case errors.As(err, &host):
		return "it is for another host name (" + host.Error() + ")", true
	case errors.As(err, &invalid):
		return invalid.Error(), true
	case errors.As(err, &verify):
		return verify.Err.Error(), true
	}
	return "", false
}

// permanentNetError reports failures a retry cannot fix: an untrusted
// certificate, or a host name that does not exist.
func permanentNetError(err error) bool {
	if _, ok := certificateProblem(err); ok {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}
