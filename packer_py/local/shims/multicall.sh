#!/bin/sh
# packer-py local mode: stand-ins for the commands a local instance cannot really run.
#
# Installed under several names (sudo, yum, dnf, rpm, apt-get, apt, amazon-linux-extras, systemctl, service,
# chkconfig) in /run/packer-py/shims, first on PATH. Commands already run as root, so sudo just runs its command.
# Package and service managers print what they would have done, record it under /var/lib/packer-py-local (so it
# shows in the image's layer and `rpm -q`, `systemctl is-enabled` answer consistently) and succeed.

STATE=/var/lib/packer-py-local
if [ ! -d "$STATE" ] && [ ! -w /var/lib ]; then
    STATE=/var/packer-py-local # in a user namespace, /var/lib belongs to the host's root: read-only here
fi
me=$(basename "$0")

say() {
    printf '[packer-py local] %s\n' "$*"
}

record_packages() { # manager package...
    mgr=$1
    shift
    [ $# -gt 0 ] || return 0
    mkdir -p "$STATE/packages"
    for p in "$@"; do
        printf 'installed by %s (simulated by packer-py local mode)\n' "$mgr" >"$STATE/packages/$p"
    done
}

forget_packages() {
    for p in "$@"; do
        rm -f "$STATE/packages/$p"
    done
}

installed() {
    [ -f "$STATE/packages/$1" ]
}

# -- sudo ---------------------------------------------------------------------------------------------------------
sudo_main() {
    login=""
    bg=""
    while [ $# -gt 0 ]; do
        case "$1" in
        --) shift; break ;;
        -u | -g | -p | -C | -h | -U | -r | -t | -T | -D | -R) shift 2 ;;
        --user | --group | --prompt | --chdir | --host | --other-user | --close-from | --role | --type) shift 2 ;;
        -i | --login | -s | --shell) login=1; shift ;;
        -b | --background) bg=1; shift ;;
        -v | --validate | -k | --reset-timestamp | -K | --remove-timestamp)
            [ $# -eq 1 ] && exit 0
            shift ;;
        -l | --list) echo "User root may run the following commands on this host: (ALL) NOPASSWD: ALL"; exit 0 ;;
        --*) shift ;;
        -*u | -*g) shift 2 ;;
        -*) shift ;;
        *) break ;;
        esac
    done
    while [ $# -gt 0 ]; do
        case "$1" in
        [A-Za-z_]*=*) export "$1"; shift ;;
        *) break ;;
        esac
    done
    if [ $# -eq 0 ]; then
        [ -n "$login" ] && exec "${SHELL:-/bin/sh}"
        echo "usage: sudo [options] command" >&2
        exit 1
    fi
    [ -n "$login" ] && exec "${SHELL:-/bin/sh}" -c "$*"
    if [ -n "$bg" ]; then
        "$@" &
        exit 0
    fi
    exec "$@"
}

# -- yum / dnf ------------------------------------------------------------------------------------------------------
yum_main() {
    cmd=""
    pkgs=""
    while [ $# -gt 0 ]; do
        case "$1" in
        -c | -d | -e | -x | -R | --exclude | --enablerepo | --disablerepo | --releasever | --setopt | --installroot | --repo | --repofrompath)
            shift 2; continue ;;
        -*) shift; continue ;;
        esac
        if [ -z "$cmd" ]; then cmd=$1; else pkgs="$pkgs $1"; fi
        shift
    done
    # shellcheck disable=SC2086
    set -- $pkgs
    case "$cmd" in
    install | reinstall | localinstall | groupinstall | upgrade-to)
        names=""
        for p in "$@"; do
            n=$(basename "$p" .rpm)
            names="$names $n"
        done
        # shellcheck disable=SC2086
        record_packages "$me" $names
        say "$me $cmd$names: simulated, nothing downloaded; recorded in $STATE/packages" ;;
    group)
        say "$me group $*: simulated" ;;
    update | upgrade | distro-sync | update-minimal)
        if [ $# -gt 0 ]; then
            say "$me $cmd $*: simulated (the packages are the host's)"
        else
            say "$me $cmd: simulated (the packages are the host's); no packages marked for update"
        fi ;;
    remove | erase | autoremove)
        forget_packages "$@"
        say "$me $cmd $*: simulated" ;;
    check-update)
        say "$me check-update: simulated; no updates" ;;
    list | info)
        status=0
        for p in "$@"; do
            [ "$p" = installed ] && continue
            if installed "$p"; then echo "$p (installed, simulated)"; else echo "Error: No matching Packages to list"; status=1; fi
        done
        return $status ;;
    "")
        echo "usage: $me [options] COMMAND" >&2
        return 1 ;;
    *)
        say "$me $cmd $*: simulated" ;;
    esac
}

rpm_main() {
    query=""
    all=""
    erase=""
    install=""
    names=""
    while [ $# -gt 0 ]; do
        case "$1" in
        --import) say "rpm --import $2: simulated"; shift 2; continue ;;
        --query) query=1 ;;
        --erase) erase=1 ;;
        --install | --upgrade | --freshen) install=1 ;;
        --all) all=1 ;;
        --root | --dbpath | --define | -D | --qf | --queryformat) shift ;;
        --*) ;;
        -*)
            case "$1" in *q*) query=1 ;; esac
            case "$1" in *a*) all=1 ;; esac
            case "$1" in *e*) erase=1 ;; esac
            case "$1" in *i* | *U* | *F*) [ -z "$query" ] && install=1 ;; esac ;;
        *) names="$names $1" ;;
        esac
        shift
    done
    # shellcheck disable=SC2086
    set -- $names
    if [ -n "$query" ]; then
        if [ -n "$all" ]; then
            [ -d "$STATE/packages" ] && ls "$STATE/packages"
            return 0
        fi
        status=0
        for p in "$@"; do
            if installed "$p"; then echo "$p"; else echo "package $p is not installed"; status=1; fi
        done
        return $status
    fi
    if [ -n "$erase" ]; then
        forget_packages "$@"
        say "rpm -e $*: simulated"
        return 0
    fi
    if [ -n "$install" ]; then
        for p in "$@"; do
            record_packages rpm "$(basename "$p" .rpm)"
        done
        say "rpm install $*: simulated, nothing downloaded; recorded in $STATE/packages"
        return 0
    fi
    say "rpm $*: simulated"
}

# -- apt-get / apt --------------------------------------------------------------------------------------------------
apt_main() {
    cmd=""
    pkgs=""
    while [ $# -gt 0 ]; do
        case "$1" in
        -o | -t | -c | --option | --target-release | --config-file) shift 2; continue ;;
        -*) shift; continue ;;
        esac
        if [ -z "$cmd" ]; then cmd=$1; else pkgs="$pkgs $1"; fi
        shift
    done
    # shellcheck disable=SC2086
    set -- $pkgs
    case "$cmd" in
    install | reinstall)
        names=""
        for p in "$@"; do
            case "$p" in
            *.deb) n=$(basename "$p" .deb); n=${n%%_*} ;; # ./pkg_1.0_amd64.deb
            *) n=${p%%=*}; n=${n%%/*} ;;                 # pkg=version, pkg/release
            esac
            names="$names $n"
        done
        # shellcheck disable=SC2086
        record_packages "$me" $names
        say "$me $cmd$names: simulated, nothing downloaded; recorded in $STATE/packages" ;;
    update)
        say "$me update: simulated (no package lists fetched)" ;;
    upgrade | full-upgrade | dist-upgrade)
        say "$me $cmd: simulated (the packages are the host's)" ;;
    remove | purge | autoremove)
        forget_packages "$@"
        say "$me $cmd $*: simulated" ;;
    "")
        echo "usage: $me [options] command" >&2
        return 1 ;;
    *)
        say "$me $cmd $*: simulated" ;;
    esac
}

extras_main() {
    cmd=${1:-help}
    [ $# -gt 0 ] && shift
    while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do shift; done
    case "$cmd" in
    install)
        record_packages amazon-linux-extras "$@"
        say "amazon-linux-extras install $*: simulated, nothing downloaded; recorded in $STATE/packages" ;;
    *)
        say "amazon-linux-extras $cmd $*: simulated" ;;
    esac
}

# -- systemctl / service / chkconfig -------------------------------------------------------------------------------
unit() {
    u=${1%.service}
    echo "${u%.target}"
}

svc_set() { # unit key(enabled|active) yes|no
    mkdir -p "$STATE/services"
    f="$STATE/services/$1.$2"
    if [ "$3" = yes ]; then : >"$f"; else rm -f "$f"; fi
}

svc_is() {
    [ -f "$STATE/services/$1.$2" ]
}

systemctl_main() {
    now=""
    cmd=""
    units=""
    while [ $# -gt 0 ]; do
        case "$1" in
        --now) now=1 ;;
        -t | -p | -n | -o | -H | -M | --type | --property | --lines | --output | --host | --machine | --signal | -s) shift ;;
        -*) ;;
        *) if [ -z "$cmd" ]; then cmd=$1; else units="$units $(unit "$1")"; fi ;;
        esac
        shift
    done
    # shellcheck disable=SC2086
    set -- $units
    case "$cmd" in
    enable | disable | mask | unmask)
        for u in "$@"; do
            case "$cmd" in enable | unmask) svc_set "$u" enabled yes ;; *) svc_set "$u" enabled no ;; esac
            if [ -n "$now" ]; then
                case "$cmd" in enable) svc_set "$u" active yes ;; *) svc_set "$u" active no ;; esac
            fi
        done
        say "systemctl $cmd${now:+ --now} $*: simulated (no init system here); recorded in $STATE/services" ;;
    start | restart | reload | try-restart | reload-or-restart | try-reload-or-restart)
        for u in "$@"; do svc_set "$u" active yes; done
        say "systemctl $cmd $*: simulated, nothing started" ;;
    stop | kill)
        for u in "$@"; do svc_set "$u" active no; done
        say "systemctl $cmd $*: simulated" ;;
    is-enabled)
        status=0
        for u in "$@"; do if svc_is "$u" enabled; then echo enabled; else echo disabled; status=1; fi; done
        return $status ;;
    is-active)
        status=0
        for u in "$@"; do if svc_is "$u" active; then echo active; else echo inactive; status=3; fi; done
        return $status ;;
    is-failed)
        for u in "$@"; do echo inactive; done
        return 1 ;;
    status)
        status=0
        for u in "$@"; do
            state=inactive
            svc_is "$u" active && state=active
            enabled=disabled
            svc_is "$u" enabled && enabled=enabled
            echo "* $u.service (simulated by packer-py local mode)"
            echo "   Loaded: loaded; $enabled"
            echo "   Active: $state"
            [ $state = active ] || status=3
        done
        return $status ;;
    daemon-reload | daemon-reexec | reset-failed | preset | set-default | isolate | "")
        [ -n "$cmd" ] && say "systemctl $cmd $*: simulated"
        return 0 ;;
    *)
        say "systemctl $cmd $*: simulated" ;;
    esac
}

service_main() {
    case "$1" in
    --status-all) ls "$STATE/services" 2>/dev/null; return 0 ;;
    -*) shift ;;
    esac
    [ $# -ge 2 ] || { echo "usage: service NAME COMMAND" >&2; return 1; }
    u=$(unit "$1")
    case "$2" in
    start | restart | reload | force-reload | condrestart | try-restart) svc_set "$u" active yes ;;
    stop) svc_set "$u" active no ;;
    status)
        if svc_is "$u" active; then echo "$u is running (simulated)"; return 0; fi
        echo "$u is stopped (simulated)"
        return 3 ;;
    esac
    say "service $u $2: simulated, nothing run"
}

chkconfig_main() {
    case "$1" in
    --list)
        for f in "$STATE"/services/*.enabled; do [ -f "$f" ] && echo "$(basename "$f" .enabled) 3:on 5:on"; done
        return 0 ;;
    --add | --del) say "chkconfig $1 $2: simulated"; return 0 ;;
    --level) shift 2 ;;
    esac
    u=$(unit "$1")
    case "$2" in
    on) svc_set "$u" enabled yes ;;
    off) svc_set "$u" enabled no ;;
    "") svc_is "$u" enabled; return $? ;;
    esac
    say "chkconfig $u $2: simulated; recorded in $STATE/services"
}

case "$me" in
sudo) sudo_main "$@" ;;
yum | dnf | microdnf) yum_main "$@" ;;
rpm) rpm_main "$@" ;;
apt-get | apt) apt_main "$@" ;;
amazon-linux-extras) extras_main "$@" ;;
systemctl) systemctl_main "$@" ;;
service) service_main "$@" ;;
chkconfig) chkconfig_main "$@" ;;
*) echo "packer-py local shim: unknown name $me" >&2; exit 127 ;;
esac
