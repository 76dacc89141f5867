#!/usr/bin/env bash
# Fetches NIfTI files written by other tools (nibabel's test data, libnifti's reference image) from Debian's
# package archive without root, into target/nifti-testdata/. The NIfTI reader tests use them as their oracle and
# skip (with a message) when the folder is absent. nibabel itself (pure Python, with its one pure-Python dependency,
# packaging) is kept in target/nifti-testdata/python/ for scripts/nifti_geometry.py, which the volume tests run to
# read their outputs with nibabel (it needs a python3 with NumPy, e.g. Debian's python3-numpy).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/target/nifti-testdata"
if [ -f "$dest/.complete" ] && [ -d "$dest/python/nibabel" ]; then
  echo "NIfTI test data already in $dest"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download python3-nibabel python3-packaging libnifti2-2 >/dev/null 2>&1; then
  echo "apt-get download failed; running apt-get update first" >&2
  (apt-get update >/dev/null 2>&1 || sudo -n apt-get update >/dev/null 2>&1) || true
  apt-get download python3-nibabel python3-packaging libnifti2-2
fi
mkdir -p "$dest"
for deb in ./*.deb; do
  dpkg-deb -x "$deb" "$work/x"
done
nib="$(find "$work/x" -type d -path '*nibabel/tests/data' | head -n 1)"
cp "$nib"/*.nii* "$nib"/nifti1.hdr "$nib"/nifti2.hdr "$nib"/analyze.hdr "$dest"/
find "$work/x" -name 'ATestReferenceImageForReadingAndWriting.nii.gz' -exec cp {} "$dest"/ \;
rm -rf "$dest/python"
cp -r "$work/x/usr/lib/python3/dist-packages" "$dest/python"
test -d "$dest/python/nibabel" && test -d "$dest/python/packaging"
test -f "$dest/anatomical.nii" && test -f "$dest/ATestReferenceImageForReadingAndWriting.nii.gz"
touch "$dest/.complete"
echo "NIfTI test data in $dest ($(ls "$dest" | wc -l) files)"
