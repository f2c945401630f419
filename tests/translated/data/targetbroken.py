"""A target that cannot be translated: one variable is both an int and a str."""


def describe(flag):
    if flag:
        value = 42
    else:
        value = "forty-two"
    return value


def entry_point(argv):
    describe(len(argv) > 1)
    return 0


def target(*args):
    return entry_point, None
