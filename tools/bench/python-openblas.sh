#!/bin/sh
# /usr/bin/python3 with OpenBLAS as the BLAS that Debian's python3-torch calls. Debian's torch 1.13 is built with
# BLAS_INFO=generic and, unless an optimised BLAS is installed, libblas.so.3 is netlib's reference BLAS, which
# makes PyTorch's GEMM-based layers several times slower (resnet50: 1.4 vs 9 images/s on one thread). Either
# apt-get install libopenblas0-pthread (switches the system's libblas.so.3), or, without touching the system:
#   apt-get download libopenblas0-pthread && dpkg -x libopenblas0-pthread_*.deb DIR
#   METAQAP_OPENBLAS_DIR=DIR/usr/lib/x86_64-linux-gnu/openblas-pthread metaqap bench forward --python tools/bench/python-openblas.sh
dir="${METAQAP_OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-pthread}"
if [ ! -e "$dir/libblas.so.3" ]; then
  echo "python-openblas.sh: no libblas.so.3 in $dir (see the comment at the top of this script)" >&2
  exit 1
fi
# torch parallelises over its own intra-op threads; OpenBLAS threads on top would oversubscribe the cores.
export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
exec /usr/bin/python3 "$@"
