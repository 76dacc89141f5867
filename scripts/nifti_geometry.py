#!/usr/bin/env python3
"""Reads NIfTI files with nibabel and checks that they share the first one's geometry.

    PYTHONPATH=target/nifti-testdata/python python3 scripts/nifti_geometry.py SOURCE OUTPUT [OUTPUT ...]

For every file it prints one JSON line: path, shape, datatype, sform and qform codes, the affine nibabel uses
(get_best_affine), the sform and qform matrices, pixdim[0..3], and the number of non-zero voxels. It exits 1 when an
OUTPUT's first three dimensions, codes, sform, qform or pixdim[0..3] differ from SOURCE's (the float32 header
fields, compared exactly), 0 when all agree. The volume tests of coin-core run it on their NIfTI outputs
(VolumeSegmenterTest) when nibabel can be imported; scripts/fetch-nifti-testdata.sh puts nibabel there.
"""
import json
import sys

import nibabel as nib
import numpy as np


def geometry(path):
    img = nib.load(path)
    h = img.header
    return {
        "path": path,
        "shape": [int(d) for d in img.shape[:3]],
        "datatype": str(h.get_data_dtype()),
        "sform_code": int(h["sform_code"]),
        "qform_code": int(h["qform_code"]),
        "affine": h.get_best_affine().tolist(),
        "sform": h.get_sform().tolist(),
        "qform": h.get_qform().tolist(),
        "pixdim": [float(x) for x in h["pixdim"][:4]],
        "nonzero": int(np.count_nonzero(np.asanyarray(img.dataobj))),
    }


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    source = geometry(argv[1])
    print(json.dumps(source))
    ok = True
    for path in argv[2:]:
        g = geometry(path)
        print(json.dumps(g))
        for key in ("shape", "sform_code", "qform_code", "affine", "sform", "qform", "pixdim"):
            if g[key] != source[key]:
                print(f"MISMATCH {path}: {key} is {g[key]}, {argv[1]} has {source[key]}", file=sys.stderr)
                ok = False
    print("nibabel " + nib.__version__ + (": same geometry" if ok else ": geometry differs"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
