#include <cstdio>
#include "headroom/version.hpp"
int main() { std::puts(headroom::version_string.data()); }
