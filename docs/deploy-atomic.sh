#!/bin/sh
# Atomic deploy of a planpress site to your own server over SSH (docs/deploy.md, "Your own
# server"); tests/deploy_atomic.rs runs it against a real sshd and nginx.
#
#   deploy-atomic.sh public deploy@web.example.gov.cn:/srv/www/kjt      # deploy public/
#   deploy-atomic.sh --rollback deploy@web.example.gov.cn:/srv/www/kjt  # back to the release before
#
# The web server serves DIR/current/, a symlink to one of DIR/releases/<n>-<time>/. A deploy
# uploads into a new release folder (files unchanged since the live release are hard-linked on
# the server, so only changes travel), adds the live release's own fingerprinted assets that
# the new one no longer has (a page a visitor already holds still loads its stylesheet), then
# switches `current` with one rename(2): every request sees the old site or the new one, never
# a half-uploaded one. It keeps the newest KEEP releases for --rollback and deletes older ones,
# so old assets are pruned with them.
#
# The server's host key is pinned: SSH_KNOWN_HOSTS is a known_hosts file with its key, recorded
# once and checked out of band (ssh-keyscan, then compare the fingerprint with the server's
# `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`). An unknown or changed key stops the deploy.
#
# Environment: SSH_KNOWN_HOSTS (required), SSH_KEY (identity file, else ssh's default),
# SSH_PORT (default 22), KEEP (releases kept, default 5, at least 2).
# Needs ssh and rsync here, and sh, rsync and GNU coreutils (mv -T) on the server.
set -eu

die() { echo "deploy-atomic: $*" >&2; exit 1; }

rollback=false
if [ "${1:-}" = --rollback ]; then rollback=true; shift; fi
if $rollback; then
  [ $# -eq 1 ] || die "usage: $0 --rollback USER@HOST:DIR"
  target=$1
else
  [ $# -eq 2 ] || die "usage: $0 PUBLIC_DIR USER@HOST:DIR"
  src=$1 target=$2
  [ -f "$src/index.html" ] || die "$src/index.html not found: build the site first"
fi
host=${target%%:*}
dir=${target#*:}
keep=${KEEP:-5}
# The folder goes into remote shell commands: only plain path characters.
case $dir in /*) ;; *) die "DIR must be absolute: $dir" ;; esac
case $dir in *[!A-Za-z0-9/._-]*) die "DIR may only contain A-Z a-z 0-9 / . _ -: $dir" ;; esac
case $keep in '' | *[!0-9]*) die "KEEP must be a number" ;; esac
[ "$keep" -ge 2 ] || die "KEEP must be at least 2 (the live release and one to roll back to)"
[ -f "${SSH_KNOWN_HOSTS:-}" ] || die "SSH_KNOWN_HOSTS must name a known_hosts file with the server's key"

ssh_cmd="ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$SSH_KNOWN_HOSTS -o GlobalKnownHostsFile=/dev/null -p ${SSH_PORT:-22}"
if [ -n "${SSH_KEY:-}" ]; then ssh_cmd="$ssh_cmd -i $SSH_KEY -o IdentitiesOnly=yes"; fi

# The release folders, oldest first (the number sorts them; the time is for people).
releases='ls -1 releases | grep -E "^[0-9]{6}-[0-9]{8}T[0-9]{6}Z$" | sort'

if $rollback; then
  $ssh_cmd "$host" sh -s -- "$dir" <<EOF
set -eu
cd "\$1"
live=\$(readlink current)
previous=\$($releases | awk -v live="\${live#releases/}" '\$0 == live { print prev; exit } { prev = \$0 }')
[ -n "\$previous" ] || { echo "deploy-atomic: no release before \$live" >&2; exit 1; }
ln -sfn "releases/\$previous" .current.new
mv -T .current.new current
echo "rolled back to \$previous (from \$live)"
EOF
  exit
fi

# 1. A new release folder: the next number after the newest one.
name=$($ssh_cmd "$host" sh -s -- "$dir" <<EOF
set -eu
mkdir -p "\$1/releases"
cd "\$1"
last=\$($releases | tail -n 1)
printf '%06d-%s\n' "\$(expr "\${last%%-*}" + 1 2>/dev/null || echo 1)" "\$(date -u +%Y%m%dT%H%M%SZ)"
EOF
)

# 2. Upload, hard-linking what the live release already has (ignored on the first deploy).
rsync -a --delete --link-dest="$dir/current/" -e "$ssh_cmd" "$src/" "$host:$dir/releases/$name/"

# 3. Carry the live release's own assets over, switch `current` in one step, prune.
$ssh_cmd "$host" sh -s -- "$dir" "$name" "$keep" <<EOF
set -eu
cd "\$1"
new="releases/\$2"
# The release's own static files, before any carried over: what the next deploy carries.
ls -1 "\$new/static" > "\$new.assets"
if [ -L current ] && [ -f "\$(readlink current).assets" ]; then
  while read -r f; do
    [ -e "\$new/static/\$f" ] || ln "current/static/\$f" "\$new/static/\$f"
  done < "\$(readlink current).assets"
fi
ln -sfn "\$new" .current.new
mv -T .current.new current
live=\$(readlink current)
for old in \$($releases | head -n "-\$3"); do
  [ "releases/\$old" = "\$live" ] || rm -rf "releases/\$old" "releases/\$old.assets"
done
echo "deployed \$2"
EOF
