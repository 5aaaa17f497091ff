//! The `rsops` binary's memory tuning. Part of the binary only (declared in
//! src/main.rs): the library has no global allocator and no allocator
//! tuning, and a program using it keeps its own.
//!
//! Three pieces, each measured (README "Benchmarks", "The allocator"):
//!
//! * [`Allocator`], the global allocator: the system allocator, except
//!   that blocks of 1 MiB and more get their own memory mapping, aligned to
//!   2 MiB and marked for transparent huge pages (Linux). A large file's
//!   run is dominated by a few big buffers (the input, the parser's node
//!   arena, the output: 12 MB for 1 MB of YAML) written once from start to
//!   end: in 4 KiB pages each is thousands of page faults (a fifth of the
//!   run time), in 2 MiB pages a handful. Growing such a block moves its
//!   pages (`mremap`) instead of copying them. Small files never reach the
//!   threshold; where huge pages are disabled the advice is ignored.
//! * [`tune`]: glibc keeps freed memory instead of returning it to the
//!   kernel and faulting it back in (a quarter fewer page faults on a 1 MB
//!   YAML file).
//! * [`prepare_heap`], installed as the library's allocation hint
//!   ([`rsops::platform::set_allocation_hint`]): the part of glibc's heap a
//!   large file's tree is about to be carved from gets huge-page advice.
//!
//! This is the binary's only operating-system code: Linux (glibc for the
//! last two) gets all three; elsewhere the allocator is the system's, and
//! [`tune`] and [`prepare_heap`] do nothing.

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator with huge-page mappings for large blocks.
pub struct Allocator;

/// rsops is a short-lived process that builds a few large trees: keep freed
/// memory in the heap instead of returning it to the kernel and faulting it
/// back in. Call before any other thread exists.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts glibc's allocator parameters; it is
    // called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

/// Prepare the heap for a run that will allocate about `bytes` in small
/// blocks: carve one block of that size (at most 32 MiB) from glibc's heap,
/// advise huge pages for it, and free it. glibc keeps the memory ([`tune`]
/// raises its trim threshold) and hands it out again for the small strings
/// and vectors of a large file's tree, which then fault in 2 MiB at a time
/// instead of 4 KiB. Nothing happens for small runs (under 4 MiB), nor
/// outside glibc.
pub fn prepare_heap(bytes: usize) {
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = bytes;
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const HUGE: usize = 2 << 20;
        if bytes < (4 << 20) {
            return;
        }
        // Small enough to come from a thread's heap (64 MiB at most) and
        // below glibc's mmap threshold (256 MiB, set by `tune`).
        let want = bytes.min(32 << 20);
        // SAFETY: a plain malloc/free pair of glibc's own allocator, and
        // advice on the pages of that block only.
        unsafe {
            let p = libc::malloc(want);
            if p.is_null() {
                return;
            }
            let from = (p as usize).div_ceil(HUGE) * HUGE;
            let to = (p as usize + want) / HUGE * HUGE;
            if to > from {
                libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE);
            }
            libc::free(p);
        }
    }
}

#[cfg(target_os = "linux")]
mod big {
    /// Blocks at least this large are mapped on their own.
    pub const THRESHOLD: usize = 1 << 20;
    const PAGE: usize = 4096;
    const HUGE: usize = 2 << 20;

    pub fn applies(size: usize, align: usize) -> bool {
        size >= THRESHOLD && align <= PAGE
    }

    fn mapped_len(size: usize) -> usize {
        size.div_ceil(PAGE) * PAGE
    }

    /// A fresh zeroed mapping of at least `size` bytes starting on a 2 MiB
    /// boundary (so all of it can be huge pages), or null.
    pub unsafe fn map(size: usize) -> *mut u8 {
        let len = mapped_len(size);
        let Some(total) = len.checked_add(HUGE) else {
            return std::ptr::null_mut();
        };
        // SAFETY: an anonymous private mapping chosen by the kernel.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                total,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return std::ptr::null_mut();
        }
        let start = p as usize;
        let aligned = start.div_ceil(HUGE) * HUGE;
        // SAFETY: both ranges lie inside the mapping just made and are not
        // part of the block handed out.
        unsafe {
            if aligned > start {
                libc::munmap(p, aligned - start);
            }
            let tail = start + total - (aligned + len);
            if tail > 0 {
                libc::munmap((aligned + len) as *mut libc::c_void, tail);
            }
            // Advice only: ignored where huge pages are off.
            libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
        aligned as *mut u8
    }

    pub unsafe fn unmap(p: *mut u8, size: usize) {
        // SAFETY: `p` and `size` describe a block from `map` or `remap`.
        unsafe {
            libc::munmap(p.cast(), mapped_len(size));
        }
    }

    /// Resize a mapped block, moving its pages when it cannot grow in place.
    pub unsafe fn remap(p: *mut u8, old: usize, new: usize) -> *mut u8 {
        // SAFETY: `p` and `old` describe a block from `map` or `remap`.
        let q = unsafe {
            libc::mremap(
                p.cast(),
                mapped_len(old),
                mapped_len(new),
                libc::MREMAP_MAYMOVE,
            )
        };
        if q == libc::MAP_FAILED {
            return std::ptr::null_mut();
        }
        // SAFETY: the block now spans `new` bytes at `q`.
        unsafe {
            libc::madvise(q, mapped_len(new), libc::MADV_HUGEPAGE);
        }
        q.cast()
    }
}

#[cfg(not(target_os = "linux"))]
mod big {
    pub fn applies(_size: usize, _align: usize) -> bool {
        false
    }
    pub unsafe fn map(_size: usize) -> *mut u8 {
        std::ptr::null_mut()
    }
    pub unsafe fn unmap(_p: *mut u8, _size: usize) {}
    pub unsafe fn remap(_p: *mut u8, _old: usize, _new: usize) -> *mut u8 {
        std::ptr::null_mut()
    }
}

// SAFETY: every block is either wholly the system allocator's or wholly a
// mapping of ours, decided by its layout (which the caller passes back
// unchanged), and blocks move between the two only through a copy.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if big::applies(layout.size(), layout.align()) {
            // SAFETY: size is non-zero (above the threshold).
            unsafe { big::map(layout.size()) }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if big::applies(layout.size(), layout.align()) {
            // SAFETY: fresh anonymous mappings are zeroed.
            unsafe { big::map(layout.size()) }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if big::applies(layout.size(), layout.align()) {
            // SAFETY: a block of this layout came from `big::map`/`remap`.
            unsafe { big::unmap(ptr, layout.size()) }
        } else {
            // SAFETY: a block of this layout came from `System`.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        let (was_big, is_big) = (
            big::applies(layout.size(), align),
            big::applies(new_size, align),
        );
        match (was_big, is_big) {
            // SAFETY: forwarded with the caller's guarantees.
            (false, false) => unsafe { System.realloc(ptr, layout, new_size) },
            // SAFETY: the block came from `big::map`/`remap`.
            (true, true) => unsafe { big::remap(ptr, layout.size(), new_size) },
            _ => {
                // SAFETY: `new_size` is non-zero and a valid size for
                // `align` (the caller's guarantee).
                let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, align) };
                // SAFETY: as for `alloc`.
                let new = unsafe { self.alloc(new_layout) };
                if !new.is_null() {
                    // SAFETY: both blocks hold at least the copied length
                    // and do not overlap; the old block is then freed with
                    // its own layout.
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                new
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Preparing the heap leaves it usable (the advice changes only how
    /// pages are faulted in).
    #[test]
    fn prepared_heap_still_allocates() {
        prepare_heap(1 << 10);
        prepare_heap(64 << 20);
        let v: Vec<Vec<u8>> = (0..10_000).map(|i| vec![i as u8; 100]).collect();
        assert!(v.iter().enumerate().all(|(i, b)| b[99] == i as u8));
    }

    /// Blocks below and above the threshold, grown and shrunk across it,
    /// keep their contents.
    #[test]
    fn blocks_keep_their_contents_across_the_threshold() {
        let a = Allocator;
        let sizes = [100usize, 1 << 20, (1 << 20) + 1, 5 << 20, 3 << 20, 4096, 64];
        let layout = Layout::from_size_align(sizes[0], 8).expect("layout");
        // SAFETY: the test follows the GlobalAlloc contract: each realloc
        // and the final dealloc use the layout of the current block.
        unsafe {
            let mut p = a.alloc(layout);
            assert!(!p.is_null());
            let mut size = sizes[0];
            for (i, b) in std::slice::from_raw_parts_mut(p, size)
                .iter_mut()
                .enumerate()
            {
                *b = i as u8;
            }
            for &new_size in &sizes[1..] {
                let old_layout = Layout::from_size_align(size, 8).expect("layout");
                p = a.realloc(p, old_layout, new_size);
                assert!(!p.is_null());
                let kept = size.min(new_size).min(sizes[0]);
                for (i, b) in std::slice::from_raw_parts(p, kept).iter().enumerate() {
                    assert_eq!(*b, i as u8, "byte {i} after resizing to {new_size}");
                }
                // Touch the whole block.
                std::ptr::write_bytes(p.add(kept), 0xAB, new_size - kept);
                size = new_size;
            }
            a.dealloc(p, Layout::from_size_align(size, 8).expect("layout"));

            let z = a.alloc_zeroed(Layout::from_size_align(2 << 20, 16).expect("layout"));
            assert!(!z.is_null());
            assert!(std::slice::from_raw_parts(z, 2 << 20)
                .iter()
                .all(|&b| b == 0));
            a.dealloc(z, Layout::from_size_align(2 << 20, 16).expect("layout"));
        }
    }
}
