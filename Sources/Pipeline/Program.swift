/// The program's version, printed by `chiso --version` and on every report and run record.
public enum Program {
    public static let version = "0.9.0"
}
