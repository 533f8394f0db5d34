namespace Xinyong.Data;
