@echo -off
# UEFI Shell script for the "platform" tier (test/check.sh): mkesp.sh
# --shell puts it at \startup.nsh, with hv.efi, osxsave.efi and fwstate.efi
# (test/efi/) next to it.
#
# osxsave.efi turns CR4.OSXSAVE on, as some firmware and boot managers do
# (stock OVMF does not), so that hv.efi offers XSAVE and runs its guests'
# XSETBV.  fwstate.efi prints the firmware's CPU state: twice before hv.efi
# (the second run is the control) and once after an exit=return run of
# attacker guests, which must leave it exactly as it was.  The last hv.efi
# run ends the emulator the way the configuration's exit= says.
fs0:
\osxsave.efi
\fwstate.efi
\fwstate.efi
\hv.efi exit=return console=serial guests=xsetbv_platform,cpuid_consistency,cpuid_consistency64,fwstate_attacker,canary
echo "PLATFORM-TIER: hv.efi returned, lasterror=%lasterror%"
\fwstate.efi
\hv.efi console=serial guests=hello
echo "PLATFORM-TIER: last run returned, lasterror=%lasterror%"
