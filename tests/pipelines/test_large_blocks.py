"""The crawl's process has glibc map every block of 128 KB or more on its own (given back once freed), even after a
larger block was freed, which would otherwise raise the threshold: a page body comes from the heap no more."""

import ctypes
import subprocess
import sys

import pytest

# In a fresh interpreter: free a 4 MB block (glibc's default then serves blocks under 4 MB from the heap), and say
# whether a 300 KB block is mapped on its own (mallinfo2's count of mapped blocks goes up).
PROBE = """
import ctypes, sys
class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype, libc.malloc.restype = Info, ctypes.c_void_p
if sys.argv[1] == "fixed":
    from archiver.pipelines.storage import map_large_blocks
    assert map_large_blocks()
libc.free(ctypes.c_void_p(libc.malloc(4 * 2**20)))
before = libc.mallinfo2().hblks
block = libc.malloc(300 * 1024)
print(libc.mallinfo2().hblks - before)
"""


def mapped_blocks(mode: str) -> int:
    return int(subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True).stdout)


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "mallinfo2"), reason="glibc's malloc only")
def test_a_300_kb_block_is_mapped_on_its_own_even_after_a_larger_one_was_freed():
    assert mapped_blocks("default") == 0  # glibc's moving threshold: from the heap
    assert mapped_blocks("fixed") == 1
