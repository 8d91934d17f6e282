import Foundation
import Synchronization

/// SIGINT/SIGTERM handling: the handler only sets a flag; the training loop checks it between
/// steps, writes a checkpoint and exits.
public enum StopSignal {
    static let flag = Atomic<Int32>(0)

    /// The signal that arrived (0 = none).
    public static var received: Int32 { flag.load(ordering: .relaxed) }

    public static func install() {
        signal(SIGINT) { StopSignal.flag.store($0, ordering: .relaxed) }
        signal(SIGTERM) { StopSignal.flag.store($0, ordering: .relaxed) }
    }

    public static func reset() { flag.store(0, ordering: .relaxed) }
}
