# The print stylesheet's fonts (TrueType outlines, so no font is Type 3 in the PDFs) and a
# browser to print with, unless the machine has them (GitHub's runners come with Google Chrome).
need=""
fc-list 2>/dev/null | grep -q "WenQuanYi Zen Hei" || need="fonts-wqy-zenhei fonts-dejavu-core fonts-dejavu-extra fontconfig"
fc-list 2>/dev/null | grep -q "AR PL UMing" || need="$need fonts-arphic-uming fonts-arphic-ukai fontconfig"
command -v chromium >/dev/null || command -v google-chrome >/dev/null || need="$need chromium"
if [ -n "$need" ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $need
fi
