# Tssr.Tools inventory collector for POSIX hosts (Linux, macOS, BSD). Read by /bin/sh on stdin:
# no Python, no agent, nothing written outside one temporary folder. Each fact is a section framed
# by lines starting with @@<nonce> (B name source / R name exit-code / E name), stderr of the
# section between R and E. The engine substitutes __NONCE__ and __VIRSH_URI__.
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
  "$@" 2>"$t/e" </dev/null
  rc=$?
  printf '\n@@%s R %s %s\n' "$N" "$name" "$rc"
  head -c 2000 "$t/e" 2>/dev/null
  printf '\n@@%s E %s\n' "$N" "$name"
}
missing() { echo "not installed: $1" >&2; return 127; }

f_id() { id -u; id -un; }
f_os() { if [ -r /etc/os-release ]; then cat /etc/os-release; elif [ -r /usr/lib/os-release ]; then cat /usr/lib/os-release; elif have sw_vers; then sw_vers; else missing os-release; fi; }
f_uname() { uname -s; uname -r; uname -m; uname -n; }
f_fqdn() { hostname -f 2>/dev/null || uname -n; }
f_cpu() { if have lscpu; then lscpu; elif [ -r /proc/cpuinfo ]; then cat /proc/cpuinfo; else sysctl -n machdep.cpu.brand_string hw.packages hw.physicalcpu hw.logicalcpu; fi; }
f_mem() { if [ -r /proc/meminfo ]; then cat /proc/meminfo; else sysctl -n hw.memsize; fi; }
f_df() { df -P -k -T 2>/dev/null || df -P -k; }
f_blk() { if have lsblk; then lsblk -b -P -o NAME,TYPE,SIZE,MODEL,MOUNTPOINT; else missing lsblk; fi; }
f_link() { if have ip; then ip -o link show; else missing ip; fi; }
f_addr() { if have ip; then ip -o addr show; else missing ip; fi; }
f_speed() { for f in /sys/class/net/*/speed; do [ -r "$f" ] || continue; s=$(cat "$f" 2>/dev/null) || continue; d=${f%/speed}; printf '%s %s\n' "${d##*/}" "$s"; done; return 0; }
f_route() { if have ip; then ip -4 route show default; ip -6 route show default; else missing ip; fi; }
f_dns() { cat /etc/resolv.conf; }
f_uptime() { if [ -r /proc/uptime ]; then cat /proc/uptime; date +%s; else sysctl -n kern.boottime; date +%s; fi; }
f_time() {
  if have timedatectl && timedatectl show >"$t/td" 2>/dev/null; then echo 'tool=timedatectl'; cat "$t/td"
  elif have chronyc; then echo 'tool=chronyc'; chronyc -n tracking
  elif have ntpq; then echo 'tool=ntpq'; ntpq -pn
  else missing 'timedatectl, chronyc, ntpq'; return 127; fi
  for s in systemd-timesyncd chronyd chrony ntpd ntp; do
    if have pgrep && pgrep -x "$s" >/dev/null 2>&1; then echo "service=$s"; fi
  done
  return 0
}
f_virt() {
  if have systemd-detect-virt; then echo "vm=$(systemd-detect-virt -v 2>/dev/null)"; echo "container=$(systemd-detect-virt -c 2>/dev/null)"; fi
  [ -r /sys/class/dmi/id/sys_vendor ] && echo "vendor=$(cat /sys/class/dmi/id/sys_vendor 2>/dev/null)"
  [ -r /sys/class/dmi/id/product_name ] && echo "product=$(cat /sys/class/dmi/id/product_name 2>/dev/null)"
  grep -q '^flags.* hypervisor' /proc/cpuinfo 2>/dev/null && echo 'cpuflag=hypervisor'
  [ -f /.dockerenv ] && echo 'dockerenv=1'
  [ -r /run/systemd/container ] && echo "systemdcontainer=$(cat /run/systemd/container)"
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
f_admins() { getent passwd 2>/dev/null | awk -F: '$3 == 0 { print "uid0 " $1 }'; for g in sudo wheel admin; do getent group "$g" 2>/dev/null | sed "s/^/group /"; done; return 0; }
f_pkg() {
  if have dpkg-query; then echo 'dpkg'; dpkg-query -W -f '${db:Status-Abbrev}\n' | grep -c '^ii'
  elif have rpm; then echo 'rpm'; rpm -qa | wc -l
  elif have apk; then echo 'apk'; apk info | wc -l
  elif have pacman; then echo 'pacman'; pacman -Q | wc -l
  else missing 'dpkg, rpm, apk, pacman'; fi
}
f_updates() {
  if have apt; then echo 'manager=apt'; apt list --upgradable 2>/dev/null
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
f_hostkeys() { for k in /etc/ssh/ssh_host_*_key.pub; do [ -r "$k" ] && cat "$k"; done; return 0; }

printf '@@%s TSSR-INVENTORY 1 posix\n' "$N"
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
sec guests "virsh -c $VIRSH_URI" f_virsh
sec units 'systemctl list-units --type=service' f_units
sec unitfiles 'systemctl list-unit-files --type=service' f_unitfiles
sec listen 'ss -l -n -t -u -p' f_listen
sec admins 'getent passwd, getent group' f_admins
sec packages 'dpkg-query -W' f_pkg
sec updates 'apt list --upgradable' f_updates
sec reboot '/var/run/reboot-required' f_reboot
sec hostkeys '/etc/ssh/ssh_host_*_key.pub' f_hostkeys
printf '\n@@%s END\n' "$N"
