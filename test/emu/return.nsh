@echo -off
# UEFI Shell script for the "return" tier (test/check.sh): mkesp.sh --shell
# puts it at \startup.nsh next to \hv.efi.  hv.efi runs twice in one
# firmware session.  The first run returns to the shell; the second one
# can only enter VMX operation if the first left the CPU and the firmware
# clean.  The second run ends the emulator the way the configuration's
# exit= says.
fs0:
\hv.efi exit=return console=serial guests=hello
echo "RETURN-TIER: first run returned, lasterror=%lasterror%"
\hv.efi console=serial guests=hello,standalone
echo "RETURN-TIER: second run returned, lasterror=%lasterror%"
