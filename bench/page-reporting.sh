# Sourced by the benchmark scripts that fill the page cache (disk-images.sh, nbd.sh). Free page reporting
# (virtio-balloon): this VM's kernel hands free 2 MiB blocks back to the host about two seconds after they are
# freed, and the next process to fill the page cache from them pays a host fault per page. Measured: the same
# 1 GiB write took 0.17 s or 2.4 s depending on whether the pages it got had been reported, so whichever tool ran at
# the wrong moment lost. As root, raise the reporting order past the largest block the kernel builds (11), which
# stops reporting for the run, and restore it at exit (the caller's EXIT trap must call restore_page_reporting).
# BENCH_PAGE_REPORTING=keep leaves it as it is.
PAGE_REPORTING=/sys/module/page_reporting/parameters/page_reporting_order
SAVED_PAGE_REPORTING=
restore_page_reporting() {
  if [[ -n $SAVED_PAGE_REPORTING ]]; then echo "$SAVED_PAGE_REPORTING" > "$PAGE_REPORTING"; fi
}
if [[ ${BENCH_PAGE_REPORTING:-off} != keep && -w $PAGE_REPORTING ]]; then
  SAVED_PAGE_REPORTING=$(cat "$PAGE_REPORTING")
  echo 11 > "$PAGE_REPORTING"
  echo "(free page reporting off for this run: $PAGE_REPORTING 11, was $SAVED_PAGE_REPORTING)" >&2
fi
