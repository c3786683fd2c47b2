# Tssr.Tools inventory collector for POSIX hosts (Linux, macOS, BSD). Read by /bin/sh on stdin:
# no Python, no agent, nothing written outside one temporary folder. Each fact is a section framed
# by lines starting with @@<nonce> (B name source / R name exit-code / E name), stderr of the
# section between R and E. The engine substitutes __NONCE__ and __VIRSH_URI__.
# Cost matters (one collector per host, many hosts at once): the slow facts (package manager,
# libvirt, systemd, sockets) run in the background while the others run, each into its own file,
# and small files are read by the shell itself rather than by a forked cat.
N='__NONCE__'
VIRSH_URI='__VIRSH_URI__'
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH
t=$(mktemp -d 2>/dev/null) || { t=/tmp/tssr-inv.$$; mkdir -m 700 "$t"; }
trap 'rm -rf "$t"' EXIT INT TERM
have() { command -v "$1" >/dev/null 2>&1; }
sec() {
  name=$1; src=$2; shift 2
  printf '\n@@%s B %s %s\n' "$N" "$name" "$src"
  "$@" 2>"$t/e.$name" </dev/null
  rc=$?
  printf '\n@@%s R %s %s\n' "$N" "$name" "$rc"
  [ -s "$t/e.$name" ] && head -c 2000 "$t/e.$name"
  printf '\n@@%s E %s\n' "$N" "$name"
}
# A section in the background, into its own file (printed in order after the others).
bg() { sec "$@" >"$t/o.$1" & }
missing() { echo "not installed: $1" >&2; return 127; }
# Prints a small text file without forking (read and printf are built in).
put() { while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' "$l"; done <"$1"; }

f_id() { o=$(id) || return $?; o=${o#uid=}; u=${o%%[!0-9]*}; echo "$u"; case $o in "$u("*) o=${o#*\(}; echo "${o%%)*}";; *) id -un;; esac; }
f_os() { if [ -r /etc/os-release ]; then put /etc/os-release; elif [ -r /usr/lib/os-release ]; then put /usr/lib/os-release; elif have sw_vers; then sw_vers; else missing os-release; fi; }
f_uname() { o=$(uname -s -n -r -m) || return $?; set -- $o; printf '%s\n' "$1" "$3" "$4" "$2"; }
f_fqdn() { hostname -f 2>/dev/null || uname -n; }
f_cpu() { if have lscpu; then lscpu; elif [ -r /proc/cpuinfo ]; then cat /proc/cpuinfo; else sysctl -n machdep.cpu.brand_string hw.packages hw.physicalcpu hw.logicalcpu; fi; }
f_mem() { if [ -r /proc/meminfo ]; then put /proc/meminfo; else sysctl -n hw.memsize; fi; }
f_df() { df -P -k -T 2>/dev/null || df -P -k; }
f_blk() { if have lsblk; then lsblk -b -P -o NAME,TYPE,SIZE,MODEL,MOUNTPOINT; else missing lsblk; fi; }
f_link() { if have ip; then ip -o link show; else missing ip; fi; }
f_addr() { if have ip; then ip -o addr show; else missing ip; fi; }
f_speed() { for f in /sys/class/net/*/speed; do [ -r "$f" ] || continue; { read -r s <"$f"; } 2>/dev/null || continue; d=${f%/speed}; printf '%s %s\n' "${d##*/}" "$s"; done; return 0; }
f_route() { if have ip; then ip -4 route show default; ip -6 route show default; else missing ip; fi; }
f_dns() { put /etc/resolv.conf; }
f_uptime() { if [ -r /proc/uptime ]; then put /proc/uptime; date +%s; else sysctl -n kern.boottime; date +%s; fi; }
f_time() {
  if have timedatectl && timedatectl show >"$t/td" 2>/dev/null; then echo 'tool=timedatectl'; put "$t/td"
  elif have chronyc; then echo 'tool=chronyc'; chronyc -n tracking
  elif have ntpq; then echo 'tool=ntpq'; ntpq -pn
  else missing 'timedatectl, chronyc, ntpq'; return 127; fi
  # One pgrep for the five daemons (a process name is cut at 15 characters: systemd-timesyn).
  have pgrep || return 0
  o=$(pgrep -l -x 'systemd-timesyn|systemd-timesyncd|chronyd|chrony|ntpd|ntp' 2>/dev/null)
  for s in systemd-timesyncd chronyd chrony ntpd ntp; do
    c=$s; [ "$s" = systemd-timesyncd ] && c=systemd-timesyn
    case "
$o
" in *" $s
"*|*" $c
"*) echo "service=$s";; esac
  done
  return 0
}
f_virt() {
  if have systemd-detect-virt; then echo "vm=$(systemd-detect-virt -v 2>/dev/null)"; echo "container=$(systemd-detect-virt -c 2>/dev/null)"; fi
  [ -r /sys/class/dmi/id/sys_vendor ] && { read -r v </sys/class/dmi/id/sys_vendor; } 2>/dev/null && echo "vendor=$v"
  [ -r /sys/class/dmi/id/product_name ] && { read -r v </sys/class/dmi/id/product_name; } 2>/dev/null && echo "product=$v"
  grep -q '^flags.* hypervisor' /proc/cpuinfo 2>/dev/null && echo 'cpuflag=hypervisor'
  [ -f /.dockerenv ] && echo 'dockerenv=1'
  [ -r /run/systemd/container ] && { read -r v </run/systemd/container; } 2>/dev/null && echo "systemdcontainer=$v"
  return 0
}
f_virsh() {
  have virsh || { missing virsh; return 127; }
  virsh -c "$VIRSH_URI" list --all --name >"$t/doms" || return $?
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    echo "@@dom $d"
    virsh -c "$VIRSH_URI" dominfo -- "$d"
  done <"$t/doms"
}
units_ok=0
f_units() { if have systemctl; then systemctl list-units --type=service --all --no-legend --no-pager --plain && units_ok=1; else missing systemctl; fi; }
# The start modes are only read with the units: when systemd is not running (list-units fails),
# list-unit-files would still scan the unit folders (about 0.3 s) for a fact that is NotAvailable.
f_unitfiles() { if [ "$units_ok" != 1 ]; then echo 'skipped: systemctl list-units failed' >&2; return 3; fi; systemctl list-unit-files --type=service --no-legend --no-pager; }
f_listen() { if have ss; then ss -H -l -n -t -u -p; elif have netstat; then netstat -lntup; else missing 'ss, netstat'; fi; }
f_admins() { getent passwd 2>/dev/null | awk -F: '$3 == 0 { print "uid0 " $1 }'; getent group sudo wheel admin 2>/dev/null | sed 's/^/group /'; return 0; }
f_pkg() {
  if have dpkg-query; then echo 'dpkg'; dpkg-query -W -f '${db:Status-Abbrev}\n' | grep -c '^ii'
  elif have rpm; then echo 'rpm'; rpm -qa | wc -l
  elif have apk; then echo 'apk'; apk info | wc -l
  elif have pacman; then echo 'pacman'; pacman -Q | wc -l
  else missing 'dpkg, rpm, apk, pacman'; fi
}
# apt builds its package cache from every package list at each call when its binary cache is off
# (Debian's container images): about 1 s of CPU for Debian's 26 MB of lists. apt is given instead
# a copy of the lists that keeps only the stanzas of the packages dpkg knows, with every Release
# file (so pins, suites and origins are the same): a package's candidate version depends only on
# its own stanzas and on those, so apt's answer is the same for about a tenth of the work. Any
# step that fails (no apt-helper, a list it cannot read, two forms of one list): apt on the real lists.
apt_lists() {
  L=; S=
  eval "$(apt-config shell L Dir::State::Lists/d S Dir::State::status/f 2>/dev/null)" 2>/dev/null || return 1
  [ -n "$L" ] && [ -d "$L" ] && [ -s "$S" ] && [ -x /usr/lib/apt/apt-helper ] || return 1
  mkdir "$t/lists" || return 1
  for f in "$L"*_Packages "$L"*_Packages.*; do
    [ -f "$f" ] || continue
    b=${f##*/}
    case $b in *_Packages) ;; *_Packages.lz4|*_Packages.gz|*_Packages.xz|*_Packages.zst|*_Packages.bz2|*_Packages.lzma) b=${b%.*};; *) return 1;; esac
    [ -e "$t/lists/$b" ] && return 1
    { /usr/lib/apt/apt-helper cat-file "$f" 2>/dev/null || printf '\n\n@@tssr-catfail\n'; } | awk '
      BEGIN { RS = "" }
      $0 == "@@tssr-catfail" { failed = 1; exit }
      { i = index($0, "\n"); h = i ? substr($0, 1, i - 1) : $0; p = ""
        if (h ~ /^Package:/) { p = h; sub(/^Package:[ \t]*/, "", p); sub(/[ \t]+$/, "", p) }
        else if (match($0, /(^|\n)[Pp]ackage:[ \t]*[^ \t\n]+/)) { p = substr($0, RSTART, RLENGTH); sub(/^\n?[Pp]ackage:[ \t]*/, "", p) } }
      NR == FNR { if (p != "") want[p] = 1; next }
      p in want { print; print "" }
      END { if (failed) exit 3 }' "$S" - >"$t/lists/$b" || return 1
  done
  for f in "$L"*Release "$L"*Release.gpg; do [ -f "$f" ] && ln -s "$f" "$t/lists/"; done
  return 0
}
f_updates() {
  if have apt; then echo 'manager=apt'; if apt_lists; then echo 'lists=reduced'; apt list --upgradable -o Dir::State::Lists="$t/lists/" 2>/dev/null; else apt list --upgradable 2>/dev/null; fi
  elif have dnf; then echo 'manager=dnf'; dnf -q -C check-update; rc=$?; echo "@@rc $rc"; dnf -q -C updateinfo list --security 2>/dev/null; echo "@@security $?"; return $rc
  elif have yum; then echo 'manager=yum'; yum -q -C check-update; rc=$?; echo "@@rc $rc"; yum -q -C updateinfo list security 2>/dev/null; echo "@@security $?"; return $rc
  elif have zypper; then echo 'manager=zypper'; zypper -n -q --no-refresh list-updates; rc=$?; echo "@@rc $rc"; zypper -n -q --no-refresh list-patches --category security 2>/dev/null; echo "@@security $?"; return $rc
  else missing 'apt, dnf, yum, zypper'; fi
}
f_reboot() {
  if [ -f /var/run/reboot-required ]; then echo 'flag=/var/run/reboot-required'; cat /var/run/reboot-required.pkgs 2>/dev/null; return 0; fi
  if have needs-restarting; then needs-restarting -r >/dev/null 2>&1; echo "needs-restarting=$?"; return 0; fi
  if have dpkg-query; then echo 'flag=none'; return 0; fi
  missing 'reboot-required flag, needs-restarting'
}
f_hostkeys() { for k in /etc/ssh/ssh_host_*_key.pub; do [ -r "$k" ] && put "$k"; done; return 0; }

printf '@@%s TSSR-INVENTORY 1 posix\n' "$N"
bg updates 'apt list --upgradable' f_updates
bg guests "virsh -c $VIRSH_URI" f_virsh
{ sec units 'systemctl list-units --type=service' f_units; sec unitfiles 'systemctl list-unit-files --type=service' f_unitfiles; } >"$t/o.units" &
bg listen 'ss -l -n -t -u -p' f_listen
bg packages 'dpkg-query -W' f_pkg
sec id 'id' f_id
sec os '/etc/os-release' f_os
sec uname 'uname' f_uname
sec fqdn 'hostname -f' f_fqdn
sec cpu 'lscpu' f_cpu
sec memory '/proc/meminfo' f_mem
sec filesystems 'df -P -k -T' f_df
sec blockdevices 'lsblk -b -P' f_blk
sec links 'ip -o link show' f_link
sec addresses 'ip -o addr show' f_addr
sec speeds '/sys/class/net/*/speed' f_speed
sec routes 'ip route show default' f_route
sec dns '/etc/resolv.conf' f_dns
sec uptime '/proc/uptime' f_uptime
sec timesync 'timedatectl show' f_time
sec virt 'systemd-detect-virt, /sys/class/dmi/id' f_virt
sec admins 'getent passwd, getent group' f_admins
sec reboot '/var/run/reboot-required' f_reboot
sec hostkeys '/etc/ssh/ssh_host_*_key.pub' f_hostkeys
wait
cat "$t/o.updates" "$t/o.guests" "$t/o.units" "$t/o.listen" "$t/o.packages"
printf '\n@@%s END\n' "$N"
