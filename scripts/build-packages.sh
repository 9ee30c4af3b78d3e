#!/usr/bin/env sh
# python-ldap (LDAP sign-in) builds from source: it needs a C compiler and the OpenLDAP and
# SASL headers. Install them on Debian when they are missing and we may (root), so that
# `make run` and `make test` work on a fresh machine; otherwise say what to install.
set -eu
missing=""
command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
[ -f /usr/include/ldap.h ] || missing="$missing libldap2-dev"
[ -f /usr/include/sasl/sasl.h ] || missing="$missing libsasl2-dev"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the build packages python-ldap needs:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "python-ldap needs these packages to build; install them first:$missing" >&2
  exit 1
fi
