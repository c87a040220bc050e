//! Process settings that keep secrets in memory from reaching the disk or another process: no
//! core dumps, and on Linux no ptrace attach by other processes of the same user.

/// Why a setting could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum HardeningError {
    /// The system call failed.
    #[error("{call} failed: {source}")]
    Call {
        /// Which call.
        call: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Turns core dumps off for this process: a crash while unlocked would otherwise write the
/// decrypted vault to disk. On Linux the process also becomes non-dumpable, which stops other
/// processes of the same user from reading its memory through ptrace or /proc/PID/mem.
/// Windows writes no dump unless Windows Error Reporting is configured to; there is nothing
/// to switch off from inside the process.
pub fn disable_core_dumps() -> Result<(), HardeningError> {
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the struct we pass and touches no other memory.
        if unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) } != 0 {
            return Err(HardeningError::Call {
                call: "setrlimit(RLIMIT_CORE)",
                source: std::io::Error::last_os_error(),
            });
        }
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_DUMPABLE takes a plain integer argument.
        if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } != 0 {
            return Err(HardeningError::Call {
                call: "prctl(PR_SET_DUMPABLE)",
                source: std::io::Error::last_os_error(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn the_process_can_no_longer_dump_core() {
        disable_core_dumps().expect("applied");
        // SAFETY: PR_GET_DUMPABLE takes no pointer.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) }, 0);
        let limits = std::fs::read_to_string("/proc/self/limits").expect("limits");
        let core = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .expect("a core limit line");
        let fields: Vec<&str> = core.split_whitespace().collect();
        assert_eq!(fields[4..6], ["0", "0"], "{core}");
    }
}
