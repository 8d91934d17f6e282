/// Joins a long option and a following negative number into one argument.
///
/// swift-argument-parser reads `-5` after `--n` as a short option, so `--n -5` failed with
/// "Missing value for '--n <n>'". No molvae option has a short name made of digits and no
/// command takes a numeric positional argument, so an argument that is a negative number can
/// only be the previous option's value.
enum NegativeNumberArguments {
    static func joined(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                out += arguments[index...]
                break
            }
            if argument.hasPrefix("--"), !argument.contains("="), index + 1 < arguments.count,
               isNegativeNumber(arguments[index + 1]) {
                out.append(argument + "=" + arguments[index + 1])
                index += 2
                continue
            }
            out.append(argument)
            index += 1
        }
        return out
    }

    /// `-5`, `-0.5`, `-1e-3`, `-.5`, `-inf`, `-nan`: what Int, Double or Float would parse.
    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        return Double(text) != nil
    }
}
