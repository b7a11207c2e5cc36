#!/usr/bin/env bash
# Install (from Debian's packages) and start a throwaway Dovecot IMAP server on 127.0.0.1
# for the email channel's IMAP tests: plain login allowed (loopback only), one
# passwd-file user, maildirs under a temporary directory.
# Prints one line on stdout: `export KEFU_TEST_IMAP_URL=imap://user:pass@127.0.0.1:PORT`.
# Everything else goes to stderr. Safe to run twice (an already running one is reused).
set -euo pipefail

RUN_DIR=${KEFU_CI_DOVECOT_DIR:-/tmp/kefu-ci-dovecot}
PORT=${KEFU_CI_IMAP_PORT:-51143}
USER_NAME=kefu
USER_PASS=kefu-imap-test-pass

if ! command -v dovecot >/dev/null; then
  echo "installing: dovecot-imapd" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd >&2
fi

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

if ! listening; then
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR/run" "$RUN_DIR/state" "$RUN_DIR/mail"
  chmod 755 "$RUN_DIR"
  # Mail is owned by an unprivileged user: Dovecot refuses to access mail as root.
  chown nobody:nogroup "$RUN_DIR/mail"
  mail_uid=$(id -u nobody)
  mail_gid=$(getent group nogroup | cut -d: -f3)
  echo "$USER_NAME:{PLAIN}$USER_PASS:$mail_uid:$mail_gid::$RUN_DIR/mail/%u::" > "$RUN_DIR/passwd"
  cat > "$RUN_DIR/dovecot.conf" <<EOF
# Throwaway test server written by .ci/dovecot.sh: never use this configuration elsewhere.
protocols = imap
listen = 127.0.0.1
base_dir = $RUN_DIR/run
state_dir = $RUN_DIR/state
log_path = $RUN_DIR/dovecot.log
info_log_path = $RUN_DIR/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:$RUN_DIR/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $RUN_DIR/passwd
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$RUN_DIR/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service imap {
  process_limit = 64
}
protocol imap {
  mail_max_userip_connections = 200
}
EOF
  dovecot -c "$RUN_DIR/dovecot.conf" >&2
  for _ in $(seq 1 50); do listening && break; sleep 0.1; done
  listening || { echo "dovecot did not start; see $RUN_DIR/dovecot.log" >&2; exit 1; }
fi

echo "export KEFU_TEST_IMAP_URL=imap://$USER_NAME:$USER_PASS@127.0.0.1:$PORT"
