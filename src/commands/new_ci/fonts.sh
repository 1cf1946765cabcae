# The print stylesheet's fonts (TrueType outlines, so no font is Type 3 in the PDFs) and a
# browser to print with, unless the machine has them (GitHub's runners come with Google Chrome).
# The font list is read once into a variable: `fc-list | grep -q` under pipefail fails when grep
# stops reading a long list early (fc-list dies of SIGPIPE) and would install what is there.
need=""
fonts="$(fc-list : family 2>/dev/null || true)"
case "$fonts" in *"WenQuanYi Zen Hei"*) ;; *) need="fonts-wqy-zenhei fonts-dejavu-core fonts-dejavu-extra fontconfig" ;; esac
case "$fonts" in *"AR PL UMing"*) ;; *) need="$need fonts-arphic-uming fonts-arphic-ukai fontconfig" ;; esac
command -v chromium >/dev/null || command -v google-chrome >/dev/null || need="$need chromium"
if [ -n "$need" ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $need
fi
